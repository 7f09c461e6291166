import { detectFragment, MAX_MATCHES_PER_LINE, type DetectOptions } from '../detect/detect';
import { describeError } from '../errors';
import { readFileFragmentsSync } from '../sources/read-file';
import type { Finding, Rule, ScanError } from '../types';

/** One file to scan: where it is and how findings name it. */
export interface FileTask {
  absPath: string;
  /** The path's bytes, when they are not valid UTF-8 (`absPath` then holds a lossy decoding, not openable). */
  rawPath?: Uint8Array;
  /** Relative to cwd, forward slashes. */
  path: string;
}

/** What scanning a batch of files yields; plain data, so it crosses thread boundaries as is. */
export interface BatchOutcome {
  findings: Finding[];
  errors: ScanError[];
  /** Paths of files with a line cut for being longer than the largest piece. */
  cutLinePaths: string[];
  /** Files with a piece too dense to scan whole within the work budget: where scanning stopped (see overBudgetWarning). */
  overBudget: OverBudget[];
  /** Paths of files over the size limit, not read. */
  tooLarge: string[];
  files: number;
  bytes: number;
  suppressed: number;
}

/** Where a file's (or blob's) scan stopped for lack of budget: not scanned from `line`:`column` to the end of `lastLine`. */
export interface OverBudget {
  path: string;
  line: number;
  column: number;
  lastLine: number;
}

/** The warning for a piece that ran out of budget: names the file and what was scanned. */
export function overBudgetWarning({ path, line, column, lastLine }: OverBudget): string {
  const rest = lastLine > line ? ` to the end of line ${lastLine}` : ' to the end of that line';
  return (
    `${path}: too dense to scan whole (over ${MAX_MATCHES_PER_LINE.toLocaleString('en')} candidate keys on one line, or too much work in one piece of the file): ` +
    `scanned up to line ${line}, column ${column}; from there${rest} keys can be missed`
  );
}

export function emptyOutcome(): BatchOutcome {
  return { findings: [], errors: [], cutLinePaths: [], overBudget: [], tooLarge: [], files: 0, bytes: 0, suppressed: 0 };
}

/**
 * Reads and scans files one after the other with blocking reads into one reused buffer: the unit of work of
 * both the in-thread scan and each worker thread, so both produce the very same findings.
 */
export function scanFileBatch(
  files: Iterable<FileTask>,
  rules: readonly Rule[],
  options: DetectOptions,
  scratch: Buffer,
  maxFileSize?: number,
): BatchOutcome {
  const out = emptyOutcome();
  for (const file of files) {
    try {
      const outcome = readFileFragmentsSync(
        file.rawPath ?? file.absPath,
        file.path,
        (fragment) => {
          const detected = detectFragment(fragment, rules, options);
          out.suppressed += detected.suppressed;
          if (detected.stopped) out.overBudget.push({ path: file.path, ...detected.stopped });
          for (const finding of detected.findings) out.findings.push(finding);
        },
        scratch,
        maxFileSize,
      );
      if (outcome.skippedSize !== undefined) {
        out.tooLarge.push(file.path);
        continue;
      }
      out.bytes += outcome.bytes;
      if (outcome.kind !== 'binary') out.files++;
      if (outcome.cutLines > 0) out.cutLinePaths.push(file.path);
    } catch (error) {
      out.errors.push({ path: file.path, message: describeError(error) });
    }
  }
  return out;
}
