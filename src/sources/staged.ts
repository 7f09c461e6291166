import { builtinRules } from '../../rules';
import type { DetectOptions } from '../detect/detect';
import { listAddedLines, listChangedBlobs } from '../git/diff';
import { openRepository } from '../git/repo';
import { FindingCollector } from '../scan';
import type { Rule, ScanResult } from '../types';
import { scanChangedBlobs } from './changes';

export interface StagedScanOptions extends DetectOptions {
  cwd?: string;
  rules?: readonly Rule[];
  /** Report keys on every line of the staged files, not only on added or changed lines. */
  allLines?: boolean;
  isExcludedPath?: (path: string) => boolean;
}

/**
 * What the next commit will contain: the index's version of every added, modified, renamed or copied file
 * (never the working tree), keeping by default only keys on lines the commit adds. Deleted files are not
 * scanned. Works before the first commit, since `git diff --cached` compares with the empty tree then.
 */
export async function scanStaged(options: StagedScanOptions = {}): Promise<ScanResult> {
  const startedAt = performance.now();
  const repo = await openRepository(options.cwd ?? process.cwd(), 'staged');
  const rules = options.rules ?? builtinRules;
  const collector = new FindingCollector(rules, options);
  const [entries, added] = await Promise.all([
    listChangedBlobs(repo, ['--cached']),
    options.allLines ? undefined : listAddedLines(repo, ['--cached']),
  ]);
  await scanChangedBlobs(repo, entries, added, collector, { ...options, rules });
  return collector.result(startedAt);
}
