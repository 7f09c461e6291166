import { isAddedLine, type AddedLines } from '../git/diff';
import { ZERO_OID, type RawEntry } from '../git/raw';
import { promisorRemote } from '../git/promisor';
import { gitFailure, reportPath, type Repository } from '../git/repo';
import { emptyOutcome, relabelUnits } from '../outcome';
import type { Finding, ScanOutcome, Scanner } from '../types';
import { recordUnreadBlobs, type UnreadBlob } from './unread-blobs';

/**
 * Whether a change adds `finding`: one of its lines is added, or it is inside an archive member or a binary's strings, whose
 * lines are not the file's (git compares a zip as bytes), in a file the change touches. For those, scanChangedBlobs
 * then drops a key the file's earlier version already held (keysOfEarlierVersions).
 */
export function isAddedFinding(added: AddedLines, gitPath: string, finding: Finding): boolean {
  if (isInnerFinding(finding)) return added.has(gitPath);
  // Any of its lines: a key decoded from base64 wrapped over lines starts on one line and ends on the next, and a
  // change of its second half is a new key although the line it starts on is unchanged.
  for (let line = finding.startLine; line <= finding.endLine; line++) if (isAddedLine(added, gitPath, line)) return true;
  return false;
}

/** A path a changed blob is at, with the object it replaced (none when the file is new). */
interface Target {
  gitPath: string;
  path: string;
  oldOid?: string;
}

/** A finding inside an archive member or a binary's strings: one whose lines are not the file's. */
function isInnerFinding(finding: Finding): boolean {
  return finding.member !== undefined || finding.byteOffset !== undefined;
}

/** The same key by the same rule, wherever it sits in the file. */
function keyOf(finding: Finding): string {
  return `${finding.ruleId}\u0000${finding.fingerprint}`;
}

/**
 * The keys (rule and fingerprint) of the earlier version of each changed file whose new version has keys inside an
 * archive member or a binary's strings, by earlier object. git compares a zip or a binary as bytes, so "the lines it
 * adds" does not exist there: a key is added when the earlier version did not hold it, so rebuilding a jar around an
 * old key, or changing another member, does not refuse the commit. An earlier version that cannot be read counts as
 * holding nothing (its keys are reported). Only those few files are read again; a change without such keys costs
 * nothing.
 */
async function keysOfEarlierVersions(repo: Repository, kept: readonly { finding: Finding; target: Target }[], scanner: Scanner): Promise<Map<string, Set<string>>> {
  const oids = [...new Set(kept.filter(({ finding, target }) => isInnerFinding(finding) && target.oldOid).map(({ target }) => target.oldOid!))];
  const keys = new Map<string, Set<string>>();
  if (oids.length === 0) return keys;
  const earlier = await scanner
    .blobs({ cwd: repo.top, oids })
    .end()
    .catch((error) => {
      throw gitFailure(error);
    });
  for (const finding of earlier.findings) {
    const set = keys.get(finding.path) ?? new Set<string>();
    if (set.size === 0) keys.set(finding.path, set);
    set.add(keyOf(finding));
  }
  return keys;
}

export interface ChangeScanOptions {
  isExcludedPath?: (path: string) => boolean;
  /**
   * Filled, when given, with each blob read whole and its findings as the blob scan reported them (path: the blob's
   * id), for a later scan of the same blobs to reuse (`diff`'s history of the range meets the head's blobs again).
   */
  readBlobs?: Map<string, Finding[]>;
}

/**
 * Scans the new content of changed files (from the index or a commit), each distinct blob once through one
 * `git cat-file --batch`. With `added`, only findings on added lines are kept; the whole blob is still scanned
 * so context words elsewhere in the file count.
 */
export async function scanChangedBlobs(
  repo: Repository,
  entries: readonly RawEntry[],
  added: AddedLines | undefined,
  scanner: Scanner,
  options: ChangeScanOptions,
): Promise<ScanOutcome> {
  const pathsByOid = new Map<string, Target[]>();
  for (const entry of entries) {
    const path = reportPath(repo, entry.path);
    if (options.isExcludedPath?.(path)) continue;
    const lines = added?.get(entry.path);
    if (added && lines !== 'unknown' && !lines?.size) continue; // nothing added: a pure rename or mode change
    const list = pathsByOid.get(entry.oid) ?? [];
    if (list.length === 0) pathsByOid.set(entry.oid, list);
    list.push({ gitPath: entry.path, path, ...(entry.oldOid && !ZERO_OID.test(entry.oldOid) ? { oldOid: entry.oldOid } : {}) });
  }
  if (pathsByOid.size === 0) return emptyOutcome();
  const scan = scanner.blobs({ cwd: repo.top, oids: [...pathsByOid.keys()] });
  const outcome = await scan.end().catch((error) => {
    throw gitFailure(error);
  });
  if (options.readBlobs) {
    const notRead = new Set([...outcome.missing, ...outcome.unreadable.map((u) => u.oid), ...outcome.tooLarge]);
    for (const oid of pathsByOid.keys()) if (!notRead.has(oid)) options.readBlobs.set(oid, []);
    for (const finding of outcome.findings) options.readBlobs.get(finding.path)?.push(finding);
  }
  const targetsOf = (oid: string): Target[] => pathsByOid.get(oid) ?? [];
  // A blob found at several paths is scanned once and reported at each of them.
  const kept: { finding: Finding; target: Target }[] = [];
  for (const finding of outcome.findings) {
    for (const target of targetsOf(finding.path)) {
      if (!added || isAddedFinding(added, target.gitPath, finding)) kept.push({ finding, target });
    }
  }
  const earlier = added ? await keysOfEarlierVersions(repo, kept, scanner) : new Map<string, Set<string>>();
  outcome.findings = kept
    .filter(({ finding, target }) => !(isInnerFinding(finding) && target.oldOid && earlier.get(target.oldOid)?.has(keyOf(finding))))
    .map(({ finding, target }) => ({ ...finding, path: target.path }));
  const unread: UnreadBlob[] = [];
  for (const oid of outcome.missing) for (const target of targetsOf(oid)) unread.push({ oid, path: target.path });
  for (const { oid, reason } of outcome.unreadable) for (const target of targetsOf(oid)) unread.push({ oid, path: target.path, reason });
  const unreadOids = new Set(unread.map((u) => u.oid));
  const tooLarge = new Set(outcome.tooLarge);
  for (const [oid, targets] of pathsByOid) if (!unreadOids.has(oid) && !tooLarge.has(oid)) outcome.files += targets.length - 1;
  relabelUnits(outcome, (oid) => targetsOf(oid).map((t) => t.path));
  outcome.missing = [];
  outcome.unreadable = [];
  // One missing or corrupt blob is recorded against its paths, and the rest of the change is still reported.
  if (unread.length > 0) recordUnreadBlobs(repo, unread, await promisorRemote(repo), outcome);
  const uncompared = [...pathsByOid.entries()]
    .filter(([oid]) => !unreadOids.has(oid))
    .flatMap(([, targets]) => targets)
    .filter((t) => added?.get(t.gitPath) === 'unknown')
    .map((t) => t.path);
  if (uncompared.length > 0) {
    outcome.warnings.push(
      `${uncompared.length} file(s) could not be compared with their earlier version, which git cannot read (${uncompared.slice(0, 5).join(', ')}${uncompared.length > 5 ? ', …' : ''}): ` +
        'keys on every line of them are reported, not only on the lines the change adds — check the repository with git fsck',
    );
  }
  return outcome;
}
