import zlib from 'node:zlib';
import type { Budget } from './types';

/** Below this output size the ratio cap does not apply: small, repetitive files compress far beyond any bomb ratio. */
export const RATIO_FREE_BYTES = 1024 * 1024;

export type InflateResult = { bytes: Buffer; problem?: string } | { bytes?: undefined; problem: string };

/**
 * Inflates `data` with zlib's own output cap (`maxOutputLength`), so a bomb stops at the cap instead of filling
 * memory. The cap is the smallest of the member cap (when `isMember`), the bytes left in the budget, and the ratio
 * cap; the problem names the one that stopped it. Corrupt or truncated input yields what decoded before the damage.
 */
export function inflateCapped(
  data: Buffer,
  method: 'raw' | 'gzip',
  budget: Budget,
  isMember: boolean,
): InflateResult {
  const { limits } = budget;
  const caps: [number, string][] = [
    [budget.bytesLeft, `total uncompressed size cap (${limits.maxTotalBytes} bytes)`],
    [Math.max(RATIO_FREE_BYTES, data.length * limits.maxRatio), `compression ratio cap (${limits.maxRatio}:1)`],
  ];
  if (isMember) caps.push([limits.maxMemberBytes, `member size cap (${limits.maxMemberBytes} bytes)`]);
  const [limit, capName] = caps.reduce((a, b) => (b[0] < a[0] ? b : a));
  const run = (flush?: number): Buffer => {
    const options: zlib.ZlibOptions = { maxOutputLength: Math.max(1, limit) };
    if (flush !== undefined) options.finishFlush = flush;
    return method === 'raw' ? zlib.inflateRawSync(data, options) : zlib.gunzipSync(data, options);
  };
  try {
    const bytes = run();
    budget.bytesLeft -= bytes.length;
    return { bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { problem: `not read: over the ${capName}` };
    const reason = code === 'Z_BUF_ERROR' ? 'truncated compressed data' : `corrupt compressed data (${code ?? 'error'})`;
    try {
      // Z_SYNC_FLUSH returns what decoded before the damage instead of throwing.
      const bytes = run(zlib.constants.Z_SYNC_FLUSH);
      budget.bytesLeft -= bytes.length;
      return bytes.length > 0 ? { bytes, problem: `${reason}: read the first ${bytes.length} bytes` } : { problem: reason };
    } catch {
      return { problem: reason };
    }
  }
}
