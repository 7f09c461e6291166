import { reportPath, type Repository } from '../git/repo';
import type { CommitInfo, Finding } from '../types';
import { attributeIntroductions } from './history-shard';

/** What the history listing recorded, for attribution after the scan. */
export interface HistoryListing {
  commits: CommitInfo[];
  /**
   * Each (path, blob) pair at the first commit that brought it in, in commit order (parents first), for the blobs
   * asked about; `seq` is its position among all the files of the listing (the same in every shard).
   */
  introductions: { commit: number; gitPath: string; oid: string; seq: number }[];
  /** Paths deleted by each commit (by commit index) that introduced one of those blobs. */
  deletions: Map<number, string[]>;
}

/**
 * The step after scanning a history: each (path, key) at its first commit, from the findings by blob id. A key
 * that appears at a path in the same commit that deleted a path holding it is a rename or move, not a new leak.
 */
export function attributeHistory(repo: Repository, listing: HistoryListing, findingsByBlob: ReadonlyMap<string, Finding[]>): Finding[] {
  const { commits, introductions, deletions } = listing;
  // The same attribution `merge` runs over the shards of a history (history-shard.ts).
  const entries = introductions.map(({ commit, gitPath, oid }) => ({ commit, gitPath, findings: findingsByBlob.get(oid) ?? [] }));
  return attributeIntroductions(entries, deletions, (f) => f.fingerprint).map(({ finding, entry }) => ({
    ...finding,
    path: reportPath(repo, entry.gitPath),
    commit: commits[entry.commit],
  }));
}
