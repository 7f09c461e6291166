import path from 'node:path';
import { gitOutput } from '../git/exec';
import { listAddedLines, listChangedBlobs, type AddedLines } from '../git/diff';
import { commitInfo } from '../git/log';
import type { RawEntry } from '../git/raw';
import { gitFailure, openRepository, reportPath, resolveCommit, type Repository } from '../git/repo';
import { commitEntry, isRegularBlob } from '../git/tree';
import { emptyOutcome } from '../outcome';
import type { CommitInfo, Finding, HistoryProgress, ScanOutcome, Scanner, Source, SourceDefinition } from '../types';
import { withCommitMessages } from './commit-messages';
import { isAddedFinding, scanChangedBlobs, type ChangeScanOptions } from './changes';
import { historyScan } from './history';

/** `ms-leakscan diff --base X --head Y`: the commits of a change and the lines it adds. */
export const diffSource: SourceDefinition = {
  name: 'diff',
  describe: 'every commit between --base and --head, and the lines the change adds',
  async create(request) {
    const repo = await openRepository(request.cwd, 'diff');
    const [base, head] = await Promise.all([resolveCommit(repo, request.base ?? 'HEAD', '--base'), resolveCommit(repo, request.head ?? 'HEAD', '--head')]);
    const change = diffScan(repo, { base, head, netOnly: request.netOnly, isExcludedPath: request.isExcludedPath, onProgress: request.onProgress });
    // The messages of every commit of the range: pushed with them, as public as their files.
    return withCommitMessages(change, repo, [`^${base}`, head], { enabled: request.commitMessages });
  },
};

export interface DiffScanOptions {
  /** Full commit ids, already resolved. */
  base: string;
  head: string;
  isExcludedPath?: (path: string) => boolean;
  /**
   * Only the lines the net diff adds, not every commit of the range: a key added by one commit and removed by a
   * later one is then missed (it is still public in the pushed history).
   */
  netOnly?: boolean;
  onProgress?: (progress: HistoryProgress) => void;
}

/**
 * Keys a change brings: every commit reachable from head and not from base (each is public once pushed), plus
 * the lines the net diff adds (which also covers what a merge commit writes itself). Each key is reported once:
 * - still at head on an added line: at its head path and line, with the commit of the range that introduced it;
 * - gone by head (added, then removed by a later commit): at the commit that introduced it, path and line in that
 *   commit's version of the file, marked `notInHead`.
 * Lines are compared with the merge base, so changes the base branch made since the branch point are not counted.
 */
export function diffScan(repo: Repository, options: DiffScanOptions): Source {
  return { scan: (scanner) => scanDiffWith(repo, options, scanner) };
}

async function scanDiffWith(repo: Repository, options: DiffScanOptions, scanner: Scanner): Promise<ScanOutcome> {
  if (options.base === options.head) return emptyOutcome();
  const from = (await gitOutput(['merge-base', options.base, options.head], repo.top).catch(() => options.base)).trim() || options.base;
  const [entries, added] = await Promise.all([listChangedBlobs(repo.top, [from, options.head]), listAddedLines(repo.top, [from, options.head])]);
  // The head's blobs, read once: the history of the range meets most of them again (a file's last version).
  const readBlobs = new Map<string, Finding[]>();
  const collector = await scanChangedBlobs(repo, entries, added, scanner, { ...options, readBlobs });

  let introduced: Finding[];
  if (options.netOnly) {
    if (collector.findings.length === 0) return collector;
    // Only to name the introducing commits: the history of the findings' paths.
    const gitPathOf = new Map(entries.map((entry) => [reportPath(repo, entry.path), entry.path]));
    const paths = [...new Set(collector.findings.map((f) => gitPathOf.get(f.path)).filter((p): p is string => p !== undefined))];
    introduced = (await historyScan(repo, { ...options, revArgs: [`^${from}`, options.head], paths, readBlobs }).scan(scanner)).findings;
  } else {
    const history = await historyScan(repo, { ...options, revArgs: [`^${options.base}`, options.head], onProgress: options.onProgress, readBlobs }).scan(scanner);
    collector.files += history.files;
    collector.bytes += history.bytes;
    // The same allowed key is usually seen both at head and in its commit: count it once.
    collector.suppressed = Math.max(collector.suppressed, history.suppressed);
    for (const warning of history.warnings) if (!collector.warnings.includes(warning)) collector.warnings.push(warning);
    for (const p of history.cutLines) collector.cutLines.push(p);
    for (const stop of history.overBudget) collector.overBudget.push(stop);
    for (const p of history.tooLarge) if (!collector.tooLarge.includes(p)) collector.tooLarge.push(p);
    // Archives the range's commits held that could not be read whole (a blob already reported at head is not repeated).
    const atHead = new Set(collector.unitProblems.map((p) => `${p.path}\0${p.member}`));
    for (const p of history.unitProblems) if (!atHead.has(`${p.path}\0${p.member}`)) collector.unitProblems.push(p);
    introduced = await onAddedLines(repo, history.findings);
  }

  // Earliest introduction of each (path, key) and of each key, for the findings still at head.
  const byPathAndKey = new Map<string, CommitInfo>();
  const byKey = new Map<string, CommitInfo>();
  for (const f of introduced) {
    if (!f.commit) continue;
    if (!byPathAndKey.has(`${f.path}\0${f.fingerprint}`)) byPathAndKey.set(`${f.path}\0${f.fingerprint}`, f.commit);
    if (!byKey.has(f.fingerprint)) byKey.set(f.fingerprint, f.commit);
  }
  let headCommit: CommitInfo | undefined;
  for (const finding of collector.findings) {
    // A key no commit of the range added on a line (brought by a merge, or by a rename) is the head's.
    finding.commit = byPathAndKey.get(`${finding.path}\0${finding.fingerprint}`) ?? byKey.get(finding.fingerprint) ?? (headCommit ??= await commitInfo(repo, options.head));
  }
  if (!options.netOnly) {
    const reported = new Set(collector.findings.map((f) => f.fingerprint));
    const gone: Finding[] = [];
    for (const finding of introduced) {
      if (reported.has(finding.fingerprint)) continue;
      reported.add(finding.fingerprint);
      gone.push(finding);
    }
    const kept = await keysAtHead(repo, options.head, gone, scanner, options);
    for (const finding of gone) if (!kept.has(`${finding.path}\0${finding.fingerprint}`)) collector.findings.push({ ...finding, notInHead: true });
  }
  return collector;
}

/**
 * `path\0fingerprint` of the keys that the head still has at the paths of `findings`. A key a commit of the range
 * added that the head has on a line the net diff does not add was in the merge base already (a commit deleted the
 * line and a later one put it back): not the change's, and not gone.
 */
async function keysAtHead(repo: Repository, head: string, findings: readonly Finding[], scanner: Scanner, options: ChangeScanOptions): Promise<Set<string>> {
  const found = new Set<string>();
  if (findings.length === 0) return found;
  const entries: RawEntry[] = [];
  for (const gitPath of new Set(findings.map((f) => path.relative(repo.top, path.resolve(repo.cwd, f.path)).split(path.sep).join('/')))) {
    const entry = await commitEntry(repo, head, gitPath);
    if (entry && isRegularBlob(entry)) entries.push({ status: 'M', path: gitPath, mode: entry.mode, oid: entry.oid });
  }
  const atHead = await scanChangedBlobs(repo, entries, undefined, scanner, options);
  for (const f of atHead.findings) found.add(`${f.path}\0${f.fingerprint}`);
  return found;
}

/**
 * The history findings on lines their commit added. A history scan reads whole blobs, so a commit that edits a
 * file holding a key the base already had would otherwise be blamed for that key. A merge adds a line only when
 * the line is new against every parent; a root commit adds all of its lines.
 */
async function onAddedLines(repo: Repository, findings: readonly Finding[]): Promise<Finding[]> {
  const byCommit = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.commit) continue;
    const list = byCommit.get(f.commit.sha);
    if (list) list.push(f);
    else byCommit.set(f.commit.sha, [f]);
  }
  const kept = new Set<Finding>();
  for (const [sha, list] of byCommit) {
    const parents = (await gitOutput(['rev-list', '--no-walk', '--parents', sha], repo.top).catch((e) => {
      throw gitFailure(e);
    }))
      .trim()
      .split(' ')
      .slice(1);
    if (parents.length === 0) {
      for (const f of list) kept.add(f);
      continue;
    }
    let candidates = list;
    for (const parent of parents) {
      const added = await listAddedLines(repo.top, [parent, sha]);
      const byPath: AddedLines = new Map([...added].map(([gitPath, lines]) => [reportPath(repo, gitPath), lines]));
      candidates = candidates.filter((f) => isAddedFinding(byPath, f.path, f));
      if (candidates.length === 0) break;
    }
    for (const f of candidates) kept.add(f);
  }
  return findings.filter((f) => kept.has(f));
}
