import type { HistoryProgress } from '../sources/history';
import { DEFAULT_WIDTH, formatBytes } from '../report/format';
import type { CommandContext } from './context';

/** Redraws at most this often. */
const EVERY_MS = 200;

export interface ProgressLine {
  update(progress: HistoryProgress): void;
  /** Clears the line before the report is printed. */
  done(): void;
}

/**
 * The progress text within `columns - 1` columns: a line that reaches the last column, or wraps, leaves the cursor
 * on a later row, and the next `\r` redraws there, leaving stale lines behind. Parts are dropped from the end (time
 * left first) until it fits; a terminal too narrow for even the first part gets it cut.
 */
export function fitProgress(parts: readonly string[], columns: number): string {
  const room = Math.max(1, columns - 1);
  for (let count = parts.length; count > 0; count--) {
    const text = `ms-leakscan history: ${parts.slice(0, count).join(', ')}`;
    if (text.length <= room) return text;
  }
  return `history: ${parts[0]}`.slice(0, room);
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
      ctx.writeErr(`\r\u001b[K${fitProgress(parts, ctx.stderrColumns ?? DEFAULT_WIDTH)}`);
      shown = true;
    },
    done() {
      if (shown) ctx.writeErr('\r\u001b[K');
    },
  };
}
