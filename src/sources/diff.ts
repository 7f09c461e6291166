import { builtinRules } from '../../rules';
import type { DetectOptions } from '../detect/detect';
import { gitOutput } from '../git/exec';
import { listAddedLines, listChangedBlobs } from '../git/diff';
import { reportPath, type Repository } from '../git/repo';
import { FindingCollector } from '../scan';
import type { Rule, ScanResult } from '../types';
import { scanChangedBlobs } from './changes';
import { commitInfo, scanHistory } from './history';

export interface DiffScanOptions extends DetectOptions {
  rules?: readonly Rule[];
  /** Full commit ids, already resolved. */
  base: string;
  head: string;
  isExcludedPath?: (path: string) => boolean;
  /** Files larger than this many bytes are not read; the result warns about them. */
  maxFileSize?: number;
}

/**
 * Keys on lines added between two commits (what a pull request or a push brings), each with the commit in
 * the range that introduced it. Lines are compared with the merge base, so changes the base branch made since
 * the branch point are not counted as added. Only when something is found is the range's history read, and
 * only for the paths of the findings, to name the introducing commit.
 */
export async function scanDiff(repo: Repository, options: DiffScanOptions): Promise<ScanResult> {
  const startedAt = performance.now();
  const rules = options.rules ?? builtinRules;
  const collector = new FindingCollector(rules, options);
  if (options.base === options.head) return collector.result(startedAt);
  const from = (await gitOutput(['merge-base', options.base, options.head], repo.top).catch(() => options.base)).trim() || options.base;
  const [entries, added] = await Promise.all([listChangedBlobs(repo.top, [from, options.head]), listAddedLines(repo.top, [from, options.head])]);
  await scanChangedBlobs(repo, entries, added, collector, { ...options, rules });
  if (collector.findings.length === 0) return collector.result(startedAt);

  const gitPathOf = new Map(entries.map((entry) => [reportPath(repo, entry.path), entry.path]));
  const history = await scanHistory(repo, {
    ...options,
    rules,
    revArgs: [`^${from}`, options.head],
    paths: [...new Set(collector.findings.map((f) => gitPathOf.get(f.path)).filter((p): p is string => p !== undefined))],
  });
  const introducedAt = new Map(history.findings.map((f) => [`${f.path}\0${f.fingerprint}`, f.commit]));
  const headCommit = await commitInfo(repo, options.head);
  for (const finding of collector.findings) finding.commit = introducedAt.get(`${finding.path}\0${finding.fingerprint}`) ?? headCommit;
  return collector.result(startedAt);
}
