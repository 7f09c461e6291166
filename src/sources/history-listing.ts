import { isCommitHeader, recordCommitChanges } from '../git/log';
import type { OidSet } from '../git/oid-set';
import { decodePath, type RecordedLog } from '../git/raw-log';
import { reportPath, type Repository } from '../git/repo';
import type { CommitInfo } from '../types';
import type { HistoryListing } from './history-attribution';

export interface ListingOptions {
  revArgs: readonly string[];
  paths?: readonly string[];
  isExcludedPath?: (path: string) => boolean;
  fetchMissing?: boolean;
}

/**
 * The commit listing of a history scan: every commit, in order, and the listing's bytes, from which the
 * introductions of any blob are found after the scan. Only the blobs that turn out to matter (those with
 * findings, or unread) are ever looked up, so a history's hundreds of thousands of files are never turned
 * into strings and maps.
 */
export interface ListedHistory {
  commits: CommitInfo[];
  /** Regular-file records of the listing: the positions (`seq`) introductions are numbered by. */
  files: number;
  /** Blobs the listing names at a path not excluded that `present` lacks, among those `wanted` accepts. */
  absentFrom(present: OidSet, wanted: (oid: string) => boolean): string[];
  /** Every introduction of these blobs, the deletions of their commits, and the first path of each. */
  blobsOf(oids: ReadonlySet<string>): BlobIntroductions;
}

export interface BlobIntroductions extends HistoryListing {
  /** The first path (not excluded) each blob was brought in at. */
  firstPath: Map<string, string>;
}

/**
 * Lists the history of `options.revArgs`. `onCommit` sees each commit as git lists it (parents first); with
 * `onNewBlob`, each blob is handed on as the listing first names it at a path not excluded (for a scan that reads
 * only the blobs the listing names).
 */
export async function listHistory(
  repo: Repository,
  options: ListingOptions,
  onCommit: (commit: CommitInfo) => void,
  onNewBlob?: (oid: string) => void,
): Promise<ListedHistory> {
  const commits: CommitInfo[] = [];
  let files = 0;
  // The many commits of one author share their name and email strings.
  const names = new Map<string, string>();
  const own = (text: string): string => {
    const known = names.get(text);
    if (known !== undefined) return known;
    names.set(text, text);
    return text;
  };
  const excluded = (path: string): boolean => options.isExcludedPath?.(reportPath(repo, path)) ?? false;
  const named = onNewBlob ? new Set<string>() : undefined;
  const pathspecs = (options.paths ?? []).map((p) => `:(literal)${p}`);
  const log = await recordCommitChanges(repo, options.revArgs, pathspecs, { network: options.fetchMissing }, {
    onCommit(commit) {
      commit.author = own(commit.author);
      commit.email = own(commit.email);
      commits.push(commit);
      onCommit(commit);
    },
    onFile(file) {
      if (!file.regular) return;
      files++;
      if (!named || !onNewBlob) return;
      const oid = file.oid();
      if (named.has(oid) || excluded(file.path())) return;
      named.add(oid);
      onNewBlob(oid);
    },
  });
  return {
    commits,
    files,
    absentFrom: (present, wanted) => absentBlobs(log, present, wanted, excluded),
    blobsOf: (oids) => introductionsOf(log, commits, oids, excluded),
  };
}

function absentBlobs(log: RecordedLog, present: OidSet, wanted: (oid: string) => boolean, excluded: (path: string) => boolean): string[] {
  const absent = new Set<string>();
  log.replay({
    header() {},
    file(file) {
      if (!file.regular || present.has(file.record, file.oidAt, file.oidEnd)) return;
      const oid = file.oid();
      if (absent.has(oid) || !wanted(oid) || excluded(file.path())) return;
      absent.add(oid);
    },
  });
  return [...absent];
}

/**
 * The introductions of `oids` exactly as a listing of every blob would have them: each (blob, path) pair at the
 * first commit that brought it in, paths excluded left out, numbered by their position among all the listing's
 * files; and the paths deleted by each commit that introduced one.
 */
interface PathPlace {
  bytes: Buffer;
  at: number;
  end: number;
}

function introductionsOf(log: RecordedLog, commits: CommitInfo[], oids: ReadonlySet<string>, excluded: (path: string) => boolean): BlobIntroductions {
  const found: BlobIntroductions = { commits, introductions: [], deletions: new Map(), firstPath: new Map() };
  if (oids.size === 0) return found;
  const pathsOf = new Map<string, Set<string>>();
  let commit = -1;
  let seq = 0;
  // The current commit's deleted paths, as places in the listing's bytes, decoded only if the commit matters.
  let deleted: PathPlace[] = [];
  let introduced = false;
  const endCommit = (): void => {
    if (introduced && deleted.length) found.deletions.set(commit, deleted.map(({ bytes, at, end }) => decodePath(bytes, at, end)));
    deleted = [];
    introduced = false;
  };
  log.replay({
    header(bytes, start) {
      if (!isCommitHeader(bytes, start)) return;
      endCommit();
      commit++;
    },
    file(file) {
      if (file.deleted) {
        deleted.push({ bytes: file.pathBytes, at: file.pathAt, end: file.pathEnd });
        return;
      }
      if (!file.regular) return;
      const position = seq++;
      const oid = file.oid();
      if (!oids.has(oid)) return;
      const path = file.path();
      const paths = pathsOf.get(oid);
      if (paths?.has(path) || excluded(path)) return;
      if (paths) paths.add(path);
      else {
        pathsOf.set(oid, new Set([path]));
        found.firstPath.set(oid, path);
      }
      found.introductions.push({ commit, gitPath: path, oid, seq: position });
      introduced = true;
    },
  });
  endCommit();
  return found;
}
