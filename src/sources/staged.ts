import { existsSync } from 'node:fs';
import path from 'node:path';
import { builtinRules } from '../../rules';
import type { DetectOptions } from '../detect/detect';
import { UserError } from '../errors';
import { listAddedLines, listChangedBlobs, type AddedLines } from '../git/diff';
import type { RawEntry } from '../git/raw';
import { openRepository, type Repository } from '../git/repo';
import { FindingCollector } from '../scan';
import type { Rule, ScanResult } from '../types';
import { scanChangedBlobs } from './changes';

export interface StagedScanOptions extends DetectOptions {
  cwd?: string;
  rules?: readonly Rule[];
  /** Report keys on every line of the staged files, not only on added or changed lines. */
  allLines?: boolean;
  isExcludedPath?: (path: string) => boolean;
  /** Files larger than this many bytes are not read; the result warns about them. */
  maxFileSize?: number;
}

/**
 * What the next commit will contain: the index's version of every added, modified, renamed or copied file
 * (never the working tree), keeping by default only keys on lines the commit adds. Deleted files are not
 * scanned. Works before the first commit, since `git diff --cached` compares with the empty tree then.
 */
export async function scanStaged(options: StagedScanOptions = {}): Promise<ScanResult> {
  const startedAt = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const rules = options.rules ?? builtinRules;
  const collector = new FindingCollector(rules, options);
  // Git takes a missing index for an empty one: an index named by the environment that is not there would make the
  // scan pass as "nothing staged".
  const indexFile = process.env.GIT_INDEX_FILE;
  if (indexFile && !existsSync(path.resolve(cwd, indexFile))) {
    throw new UserError(`GIT_INDEX_FILE=${indexFile} names no file, so there is no index to scan — unset GIT_INDEX_FILE, or point it at the index to check`);
  }
  // The three git calls run side by side (this is the commit path); when the folder is no work tree, the
  // repository check's error is the one to report.
  const [repo, entries, added] = await Promise.allSettled([
    openRepository(cwd, 'staged'),
    listChangedBlobs(cwd, ['--cached']),
    options.allLines ? undefined : listAddedLines(cwd, ['--cached']),
  ]).then((settled) => settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  }) as [Repository, RawEntry[], AddedLines | undefined]);
  await scanChangedBlobs(repo, entries, added, collector, { ...options, rules });
  return collector.result(startedAt);
}
