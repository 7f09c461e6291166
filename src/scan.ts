import { builtinRules } from '../rules';
import { stat } from 'node:fs/promises';
import { compareFindings, detectFragment, type DetectOptions } from './detect/detect';
import { describeError } from './errors';
import { listFiles, type ListedFile } from './sources/files';
import { readFileFragments } from './sources/read-file';
import type { Finding, Fragment, Rule, ScanError, ScanResult } from './types';

export interface ScanOptions extends DetectOptions {
  /** Files and folders to scan, relative to `cwd` (default `.`). */
  paths?: readonly string[];
  cwd?: string;
  noIgnore?: boolean;
  rules?: readonly Rule[];
  /** Files read at once. */
  concurrency?: number;
  /** Paths (relative, forward slashes) to leave out, e.g. from the config's allowlist. */
  isExcludedPath?: (path: string) => boolean;
  /** Files larger than this many bytes are not read; the result warns about them. */
  maxFileSize?: number;
}

/** Collects findings and errors from fragments of any source, in the engine's one pass. */
export class FindingCollector {
  readonly findings: Finding[] = [];
  readonly errors: ScanError[] = [];
  readonly warnings: string[] = [];
  suppressed = 0;
  files = 0;
  bytes = 0;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: DetectOptions,
  ) {}

  add(fragment: Fragment): void {
    const outcome = detectFragment(fragment, this.rules, this.options);
    this.suppressed += outcome.suppressed;
    for (const finding of outcome.findings) this.findings.push(finding);
  }

  result(startedAt: number): ScanResult {
    return {
      findings: this.findings.sort(compareFindings),
      errors: this.errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      warnings: this.warnings,
      stats: { files: this.files, bytes: this.bytes, durationMs: Math.round(performance.now() - startedAt), suppressed: this.suppressed },
    };
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Scans files under `paths` (the working tree): the source behind `ms-leakscan [paths..]`. */
export async function scanWorkingTree(options: ScanOptions = {}): Promise<ScanResult> {
  const startedAt = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const collector = new FindingCollector(options.rules ?? builtinRules, options);
  const files: ListedFile[] = [];
  const listing = { cwd, noIgnore: options.noIgnore, onError: (error: ScanError) => collector.errors.push(error) };
  await listFiles(options.paths?.length ? options.paths : ['.'], listing, (file) => {
    if (!options.isExcludedPath?.(file.path)) files.push(file);
  });
  const tooLarge: string[] = [];
  await forEachLimited(files, options.concurrency ?? 16, async (file) => {
    try {
      if (options.maxFileSize !== undefined && (await stat(file.absPath)).size > options.maxFileSize) {
        tooLarge.push(file.path);
        return;
      }
      const outcome = await readFileFragments(file.absPath, file.path, (fragment) => collector.add(fragment));
      collector.bytes += outcome.bytes;
      if (outcome.kind !== 'binary') collector.files++;
      if (outcome.cutLines > 0) {
        collector.warnings.push(`${file.path}: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed`);
      }
    } catch (error) {
      collector.errors.push({ path: file.path, message: describeError(error) });
    }
  });
  if (tooLarge.length) collector.warnings.push(tooLargeWarning(tooLarge.sort(), options.maxFileSize as number));
  return collector.result(startedAt);
}

function tooLargeWarning(paths: string[], limit: number): string {
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return `${paths.length} file(s) larger than maxFileSize (${limit} bytes) not scanned: ${shown} — raise maxFileSize in the config to scan them`;
}
