import { listBlobs, type BlobList } from '../git/cat-file';
import { streamCommitChanges } from '../git/log';
import { fetchObjects, promisorRemote } from '../git/promisor';
import { isRegularFile } from '../git/raw';
import { gitFailure, openRepository, reportPath, type Repository } from '../git/repo';
import { historyRevisions } from '../git/revisions';
import { mergeOutcome, relabelUnits } from '../outcome';
import type { BlobScan, CommitInfo, Finding, HistoryProgress, HistoryShard, ScanOutcome, Scanner, ShardSpec, Source, SourceDefinition } from '../types';
import { withCommitMessages } from './commit-messages';
import { attributeHistory, type HistoryListing } from './history-attribution';
import { findingKey, inShard, listingDigest, parseShard } from './history-shard';
import { recordUnreadBlobs, type UnreadBlob } from './unread-blobs';

export type { HistoryProgress } from '../types';

export interface HistoryScanOptions {
  /** Revisions for `git log`: `['--all']`, `['^A', 'B']`, … (already checked by the caller). */
  revArgs: readonly string[];
  /** Limit to these paths (from the top folder), taken literally. */
  paths?: readonly string[];
  isExcludedPath?: (path: string) => boolean;
  onProgress?: (progress: HistoryProgress) => void;
  /**
   * Let git fetch what a partial clone lacks (`--fetch-missing`): trees the listing needs, lazily, and missing blobs
   * in one fetch after the scan. Off by default: fetching runs the transport the repository's config names.
   */
  fetchMissing?: boolean;
  /**
   * `--shard K/N`: read only the blobs in share K of N (by blob id) and report raw findings with what `merge`
   * needs to attribute them (src/sources/history-shard.ts). Every shard still lists every commit.
   */
  shard?: ShardSpec;
}

/** `ms-leakscan history`: every commit of the given revisions (all refs by default). */
export const historySource: SourceDefinition = {
  name: 'history',
  describe: 'every commit of the git history (all refs, or --range / --since-commit / --branch)',
  async create(request) {
    const repo = await openRepository(request.cwd, 'history');
    const revArgs = await historyRevisions(repo, request);
    const shard = request.shard === undefined ? undefined : parseShard(request.shard);
    const files = historyScan(repo, { revArgs, onProgress: request.onProgress, fetchMissing: request.fetchMissing, isExcludedPath: request.isExcludedPath, ...(shard ? { shard } : {}) });
    return withCommitMessages(files, repo, revArgs, { enabled: request.commitMessages, shard });
  },
};

/**
 * Every key ever committed on the given revisions, each distinct key of a path once, at the commit that
 * introduced it. Two processes run side by side: `git log --raw` lists, parents first, which (path, blob)
 * pairs each commit brought in (listHistory), while `git cat-file --batch` streams blob contents to the engine —
 * every blob of the repository in pack order for a scan of all refs (the engine spreads them over threads), else
 * each blob as the listing first names it. No patch is ever computed and no blob read twice. Attribution
 * (history-attribution.ts) then names each finding's path and commit.
 */
export function historyScan(repo: Repository, options: HistoryScanOptions): Source {
  return { scan: (scanner) => scanHistoryWith(repo, options, scanner) };
}

async function scanHistoryWith(repo: Repository, options: HistoryScanOptions, scanner: Scanner): Promise<ScanOutcome> {
  const progress: HistoryProgress = { commits: 0, blobs: 0, blobsDone: 0, bytes: 0, listed: false };
  const onBlob = (blobs: number, bytes: number): void => {
    progress.blobsDone += blobs;
    progress.bytes += bytes;
    options.onProgress?.(progress);
  };
  // With --shard, only this shard's blobs are read; every commit is still listed.
  const shard = options.shard;
  const mine = (oid: string): boolean => !shard || inShard(oid, shard);
  const digest = listingDigest();
  // A scan of all refs reads every blob in pack order, side by side with the listing; a narrowed scan reads only
  // the blobs the listing names.
  const allObjects = options.revArgs.length === 1 && options.revArgs[0] === '--all' && !options.paths?.length;
  // Blobs listed by `cat-file --batch-check` in a scan of all refs: whatever the commit listing names beyond them
  // is missing from the repository.
  let listed: Set<string> | undefined;
  let scan: BlobScan | undefined;
  let aborted = false;
  let reading: Promise<ScanOutcome>;
  if (allObjects) {
    reading = (async () => {
      const everyBlob = await listBlobs(repo.top);
      if (aborted) throw new Error('aborted');
      listed = new Set(everyBlob.oids);
      const list = shard ? blobsOfShard(everyBlob, shard) : everyBlob;
      progress.blobs = list.oids.length;
      scan = scanner.blobs({ cwd: repo.top, oids: list.oids, sizes: list.sizes, bytes: list.bytes, onBlob });
      return scan.end();
    })();
  } else {
    scan = scanner.blobs({ cwd: repo.top, onBlob });
    reading = Promise.resolve(undefined as unknown as ScanOutcome);
  }
  reading.catch(() => undefined); // observed below
  const abortReading = (): void => {
    aborted = true;
    scan?.abort();
  };
  const streamed = allObjects ? undefined : scan;
  let history: ListedHistory;
  try {
    history = await listHistory(repo, options, (oid) => {
      if (!streamed || !mine(oid)) return;
      progress.blobs++;
      streamed.request(oid);
    }, (sha) => {
      progress.commits++;
      digest.add(sha);
    });
  } catch (error) {
    abortReading();
    throw error;
  }
  progress.listed = true;
  let outcome: ScanOutcome;
  try {
    outcome = streamed ? await streamed.end() : await reading;
  } catch (error) {
    abortReading();
    throw gitFailure(error);
  }
  options.onProgress?.(progress);
  const { blobPaths } = history;
  const blobPath = (oid: string): string | undefined => {
    const paths = blobPaths.get(oid);
    return paths === undefined || typeof paths === 'string' ? paths : paths.values().next().value;
  };

  // Blobs the commit listing named that the repository does not have (a blob named by no commit is no concern).
  const missing = new Set(outcome.missing.filter((oid) => blobPaths.has(oid) && mine(oid)));
  if (listed) for (const oid of blobPaths.keys()) if (!listed.has(oid) && mine(oid)) missing.add(oid);
  const promisor = missing.size > 0 ? await promisorRemote(repo) : undefined;
  if (promisor && options.fetchMissing) {
    const wanted = [...missing];
    missing.clear();
    try {
      await fetchObjects(repo, promisor, wanted);
    } catch (error) {
      outcome.warnings.push(`--fetch-missing: git could not fetch the missing blobs from ${promisor} (${(error as Error).message})`);
    }
    const fetched = await scanner.blobs({ cwd: repo.top, oids: wanted, onBlob }).end().catch((error) => {
      throw gitFailure(error);
    });
    for (const oid of fetched.missing) missing.add(oid);
    fetched.missing = [];
    mergeOutcome(outcome, fetched);
  }
  const unread: UnreadBlob[] = [];
  for (const oid of missing) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid) });
  for (const { oid, reason } of outcome.unreadable) if (blobPaths.has(oid)) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid), reason });
  outcome.missing = [];
  outcome.unreadable = [];
  // Nothing is thrown away: each unread blob is an error of the result, and every other finding is still reported.
  recordUnreadBlobs(repo, unread, promisor, outcome);
  // Cut lines and budget stops are named by a path the blob was met at and the blob; too-large blobs by their path.
  const tooLarge = new Set(outcome.tooLarge);
  relabelUnits(outcome, (oid) => {
    const path = blobPath(oid);
    if (tooLarge.has(oid)) return path === undefined ? [] : [reportPath(repo, path)];
    return [`${path} (blob ${oid.slice(0, 12)})`];
  });
  const findingsByBlob = new Map<string, Finding[]>();
  for (const finding of outcome.findings) {
    const found = findingsByBlob.get(finding.path);
    if (found) found.push(finding);
    else findingsByBlob.set(finding.path, [finding]);
  }
  if (repo.shallow) {
    outcome.warnings.push(
      `${repo.top} is a shallow clone: history was scanned only as far back as it goes (${history.commits.length} commits), and keys in older commits are not found — run git fetch --unshallow first to scan it all`,
    );
  }
  if (shard) {
    const { findings, part } = shardOutcome(repo, shard, digest.done(history.introductions.length), history, findingsByBlob);
    outcome.findings = findings;
    outcome.shard = part;
    return outcome;
  }
  outcome.findings = attributeHistory(repo, history, findingsByBlob);
  return outcome;
}

function blobsOfShard(list: BlobList, shard: ShardSpec): BlobList {
  const out: BlobList = { oids: [], sizes: [], bytes: 0 };
  list.oids.forEach((oid, i) => {
    if (!inShard(oid, shard)) return;
    out.oids.push(oid);
    out.sizes.push(list.sizes[i]);
    out.bytes += list.sizes[i];
  });
  return out;
}

/**
 * A shard's outcome: every finding of every introduction of its blobs, at that path and commit (not yet
 * attributed), and for each the position `merge` attributes it by, with the deletions of their commits.
 */
function shardOutcome(
  repo: Repository,
  shard: ShardSpec,
  listingHash: string,
  { commits, introductions, deletions }: HistoryListing,
  findingsByBlob: ReadonlyMap<string, Finding[]>,
): { findings: Finding[]; part: HistoryShard } {
  const findings: Finding[] = [];
  const candidates: HistoryShard['candidates'] = [];
  const withCandidates = new Set<number>();
  introductions.forEach(({ commit, gitPath, oid }, seq) => {
    for (const f of findingsByBlob.get(oid) ?? []) {
      const finding: Finding = { ...f, path: reportPath(repo, gitPath), commit: commits[commit] as CommitInfo };
      findings.push(finding);
      withCandidates.add(commit);
      candidates.push({ seq, commit, gitPath, fingerprint: f.fingerprint, key: findingKey(finding) });
    }
  });
  const relevant = [...withCandidates].sort((a, b) => a - b).flatMap((c): [number, string[]][] => (deletions.has(c) ? [[c, deletions.get(c) as string[]]] : []));
  return { findings, part: { index: shard.index, count: shard.count, listing: listingHash, commits: commits.length, candidates, deletions: relevant } };
}

interface ListedHistory extends HistoryListing {
  /** The paths each blob was brought in at, its first first: one string for most blobs. */
  blobPaths: Map<string, string | Set<string>>;
}

/**
 * The listing of a history scan: commits in order, each (path, blob) pair at the commit that first brought it in,
 * and the deletions that tell moves from new leaks. `onNewBlob` is called for each blob when first named.
 */
async function listHistory(repo: Repository, options: HistoryScanOptions, onNewBlob: (oid: string) => void, onCommit: (sha: string) => void): Promise<ListedHistory> {
  const listing: ListedHistory = { commits: [], introductions: [], deletions: new Map(), blobPaths: new Map() };
  const { commits, introductions, deletions, blobPaths } = listing;
  // Blob ids are copies and paths copies made once (`own`): a string cut out of git's output would keep the whole
  // piece of output it came from.
  const names = new Map<string, string>();
  const own = (text: string): string => {
    let copy = names.get(text);
    if (copy === undefined) names.set((copy = copyOf(text)), copy);
    return copy;
  };
  const pathspecs = (options.paths ?? []).map((p) => `:(literal)${p}`);
  await streamCommitChanges(repo, options.revArgs, pathspecs, { network: options.fetchMissing }, ({ commit, entries }) => {
    const { sha, author, email, date, message } = commit;
    const index = commits.push({ sha: copyOf(sha), author: own(author), email: own(email), date: copyOf(date), message: copyOf(message) }) - 1;
    onCommit(sha);
    for (const entry of entries) {
      if (!isRegularFile(entry.mode)) {
        if (entry.mode === '000000') {
          const deleted = deletions.get(index);
          if (deleted) deleted.push(own(entry.path));
          else deletions.set(index, [own(entry.path)]);
        }
        continue;
      }
      const seen = blobPaths.get(entry.oid);
      if (seen !== undefined && (typeof seen === 'string' ? seen === entry.path : seen.has(entry.path))) continue;
      if (options.isExcludedPath?.(reportPath(repo, entry.path))) continue;
      const path = own(entry.path);
      const oid = copyOf(entry.oid);
      if (seen === undefined) {
        blobPaths.set(oid, path);
        introductions.push({ commit: index, gitPath: path, oid });
        onNewBlob(oid);
        continue;
      }
      if (typeof seen === 'string') blobPaths.set(oid, new Set([seen, path]));
      else seen.add(path);
      introductions.push({ commit: index, gitPath: path, oid });
    }
  });
  return listing;
}

/** A string of its own, not a slice of a longer one (which V8 would keep whole for it). */
function copyOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
