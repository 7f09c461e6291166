import type { HistoryProgress } from '../sources/history';
import { formatBytes } from '../report/format';
import type { CommandContext } from './context';

/** Redraws at most this often. */
const EVERY_MS = 200;

export interface ProgressLine {
  update(progress: HistoryProgress): void;
  /** Clears the line before the report is printed. */
  done(): void;
}

/**
 * One self-rewriting line on standard error for long scans: commits listed, blobs read, MB/s and time left.
 * Only in a terminal and without --quiet; a report piped or collected by CI never sees it.
 */
export function progressLine(ctx: CommandContext, quiet: boolean): ProgressLine | undefined {
  if (!ctx.isTTY || quiet) return undefined;
  const startedAt = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = performance.now();
      if (now - last < EVERY_MS) return;
      last = now;
      const seconds = (now - startedAt) / 1000;
      const rate = seconds > 0 ? p.bytes / seconds : 0;
      const left = p.listed && p.blobsDone > 0 ? ((p.blobs - p.blobsDone) * seconds) / p.blobsDone : undefined;
      const parts = [
        `${p.commits} commits${p.listed ? '' : ' (listing)'}`,
        `${p.blobsDone}/${p.blobs} blobs`,
        `${formatBytes(rate)}/s`,
        left === undefined ? 'time left unknown' : `${Math.ceil(left)} s left`,
      ];
      ctx.writeErr(`\r\u001b[Kms-leakscan history: ${parts.join(', ')}`);
      shown = true;
    },
    done() {
      if (shown) ctx.writeErr('\r\u001b[K');
    },
  };
}
