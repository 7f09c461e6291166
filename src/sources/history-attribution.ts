import { reportPath, type Repository } from '../git/repo';
import type { CommitInfo, Finding } from '../types';

/** What the history listing recorded, for attribution after the scan. */
export interface HistoryListing {
  commits: CommitInfo[];
  /** Each (path, blob) pair at the first commit that brought it in, in commit order (parents first). */
  introductions: { commit: number; gitPath: string; oid: string }[];
  /** Paths each commit deleted (by commit index). */
  deletions: Map<number, string[]>;
}

/**
 * The step after scanning a history: each (path, key) at its first commit, from the findings by blob id. A key
 * that appears at a path in the same commit that deleted a path holding it is a rename or move, not a new leak.
 */
export function attributeHistory(repo: Repository, listing: HistoryListing, findingsByBlob: ReadonlyMap<string, Finding[]>): Finding[] {
  const { commits, introductions, deletions } = listing;
  const out: Finding[] = [];
  const keysByPath = new Map<string, Set<string>>();
  for (const { commit, gitPath, oid } of introductions) {
    const found = findingsByBlob.get(oid);
    if (!found) continue;
    let keys = keysByPath.get(gitPath);
    if (!keys) keysByPath.set(gitPath, (keys = new Set()));
    for (const finding of found) {
      if (keys.has(finding.fingerprint)) continue;
      keys.add(finding.fingerprint);
      const moved = (deletions.get(commit) ?? []).some((deleted) => keysByPath.get(deleted)?.has(finding.fingerprint));
      if (moved) continue;
      out.push({ ...finding, path: reportPath(repo, gitPath), commit: commits[commit] });
    }
  }
  return out;
}
