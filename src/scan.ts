import { builtinRules } from '../rules';
import { compareFindings, detectFragment, type DetectOptions } from './detect/detect';
import { scanFiles } from './engine/worker-pool';
import { overBudgetWarning } from './engine/scan-file';
import { fileSource, type ListedFile } from './sources/files';
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
  /** Threads reading and scanning files (default: the number of cores; small scans use one). */
  threads?: number;
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
    if (outcome.stopped) this.warnings.push(overBudgetWarning({ path: fragment.path, ...outcome.stopped }));
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

/** Scans files under `paths` (the working tree): the source behind `ms-leakscan [paths..]`. */
export async function scanWorkingTree(options: ScanOptions = {}): Promise<ScanResult> {
  const startedAt = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const collector = new FindingCollector(options.rules ?? builtinRules, options);
  const listing = { cwd, noIgnore: options.noIgnore, onError: (error: ScanError) => collector.errors.push(error) };
  const source = await fileSource(options.paths?.length ? options.paths : ['.'], listing);
  const files = options.isExcludedPath ? withoutExcluded(source, options.isExcludedPath) : source;
  const outcome = await scanFiles(files, { ...options, rules: options.rules ?? builtinRules });
  for (const finding of outcome.findings) collector.findings.push(finding);
  for (const error of outcome.errors) collector.errors.push(error);
  collector.files += outcome.files;
  collector.bytes += outcome.bytes;
  collector.suppressed += outcome.suppressed;
  for (const path of outcome.cutLinePaths.sort()) {
    collector.warnings.push(`${path}: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed`);
  }
  for (const stop of outcome.overBudget.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line))) collector.warnings.push(overBudgetWarning(stop));
  if (outcome.tooLarge.length) collector.warnings.push(tooLargeWarning(outcome.tooLarge.sort(), options.maxFileSize as number));
  return collector.result(startedAt);
}

function tooLargeWarning(paths: string[], limit: number): string {
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return `${paths.length} file(s) larger than maxFileSize (${limit} bytes) not scanned: ${shown} — raise maxFileSize in the config to scan them`;
}

function* withoutExcluded(files: Iterable<ListedFile>, isExcluded: (path: string) => boolean): Generator<ListedFile> {
  for (const file of files) if (!isExcluded(file.path)) yield file;
}
