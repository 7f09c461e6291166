import { UserError } from '../errors';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/**
 * `--max-file-size 10MB`: bytes from a human size. Units are powers of 1024, as the report prints sizes (`kB`,
 * `MB`), so a file shown as 10.0 MB is within `--max-file-size 10MB`; case and a space before the unit do not matter.
 */
export function parseSize(value: unknown, option = '--max-file-size'): number {
  const text = String(Array.isArray(value) ? value.at(-1) : value).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UserError(`${option} ${JSON.stringify(text)}: not a size — give bytes or a number with a unit, e.g. 500kB, 10MB or 1GB`);
  }
  return bytes;
}
