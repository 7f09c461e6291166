import { listBlobs, type BlobList } from '../git/cat-file';
import { OidSet } from '../git/oid-set';
import { fetchObjects, promisorRemote } from '../git/promisor';
import { gitFailure, openRepository, reportPath, type Repository } from '../git/repo';
import { historyRevisions } from '../git/revisions';
import { mergeOutcome, relabelUnits, unitKeys } from '../outcome';
import type { BlobScan, CommitInfo, Finding, HistoryProgress, HistoryShard, ScanOutcome, Scanner, ShardSpec, Source, SourceDefinition } from '../types';
import { withCommitMessages } from './commit-messages';
import { attributeHistory, type HistoryListing } from './history-attribution';
import { listHistory, type ListedHistory } from './history-listing';
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
  /**
   * Blobs the caller has scanned already, with their findings as a blob scan reports them (path: the blob's id):
   * not read again, their findings attributed like the others. Used by a scan of a range, not of all refs.
   */
  readBlobs?: ReadonlyMap<string, readonly Finding[]>;
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
 * (history-attribution.ts) then names each finding's path and commit, from the listing's introductions of just the
 * blobs with findings (history-listing.ts).
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
  let setListed!: (present: readonly string[]) => void;
  const listedBlobs = new Promise<readonly string[]>((resolve) => (setListed = resolve));
  let scan: BlobScan | undefined;
  let aborted = false;
  let reading: Promise<ScanOutcome>;
  if (allObjects) {
    reading = (async () => {
      const everyBlob = await listBlobs(repo.top);
      if (aborted) throw new Error('aborted');
      const list = shard ? blobsOfShard(everyBlob, shard) : everyBlob;
      progress.blobs = list.oids.length;
      scan = scanner.blobs({ cwd: repo.top, oids: list.oids, sizes: list.sizes, bytes: list.bytes, onBlob });
      setListed(everyBlob.oids);
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
  /** Blobs of the listing whose findings the caller gave (readBlobs). */
  const reused = new Set<string>();
  let history: ListedHistory;
  try {
    history = await listHistory(
      repo,
      options,
      (commit) => {
        progress.commits++;
        digest.add(commit.sha);
      },
      streamed
        ? (oid) => {
            if (!mine(oid)) return;
            if (options.readBlobs?.has(oid)) {
              reused.add(oid);
              return;
            }
            progress.blobs++;
            streamed.request(oid);
          }
        : undefined,
    );
  } catch (error) {
    abortReading();
    throw error;
  }
  progress.listed = true;
  // Blobs the listing names that the repository does not have (a blob named by no commit is no concern), looked
  // for while the scan goes on: `listed` comes with the first blobs read.
  const absent = allObjects ? listedBlobs.then((present) => history.absentFrom(new OidSet(present), mine)) : Promise.resolve([]);
  absent.catch(() => undefined); // observed below
  let outcome: ScanOutcome;
  try {
    outcome = streamed ? await streamed.end() : await reading;
  } catch (error) {
    abortReading();
    throw gitFailure(error);
  }
  options.onProgress?.(progress);
  for (const oid of reused) for (const finding of options.readBlobs?.get(oid) ?? []) outcome.findings.push({ ...finding });

  // Only the blobs that matter are looked up in the listing: those with findings, and those to name in the report.
  const wanted = new Set<string>([
    ...outcome.findings.map((f) => f.path),
    ...outcome.missing,
    ...outcome.unreadable.map((u) => u.oid),
    ...unitKeys(outcome),
  ]);
  const missing = new Set((await absent).filter((oid) => mine(oid)));
  for (const oid of missing) wanted.add(oid);
  const blobs = history.blobsOf(wanted);
  const blobPath = (oid: string): string | undefined => blobs.firstPath.get(oid);

  for (const oid of outcome.missing) if (blobs.firstPath.has(oid) && mine(oid)) missing.add(oid);
  const promisor = missing.size > 0 ? await promisorRemote(repo) : undefined;
  if (promisor && options.fetchMissing) {
    const wantedBack = [...missing];
    missing.clear();
    try {
      await fetchObjects(repo, promisor, wantedBack);
    } catch (error) {
      outcome.warnings.push(`--fetch-missing: git could not fetch the missing blobs from ${promisor} (${(error as Error).message})`);
    }
    const fetched = await scanner.blobs({ cwd: repo.top, oids: wantedBack, onBlob }).end().catch((error) => {
      throw gitFailure(error);
    });
    for (const oid of fetched.missing) missing.add(oid);
    fetched.missing = [];
    mergeOutcome(outcome, fetched);
  }
  const unread: UnreadBlob[] = [];
  for (const oid of missing) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid) });
  for (const { oid, reason } of outcome.unreadable) if (blobs.firstPath.has(oid)) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid), reason });
  outcome.missing = [];
  outcome.unreadable = [];
  // Nothing is thrown away: each unread blob is an error of the result, and every other finding is still reported.
  recordUnreadBlobs(repo, unread, promisor, outcome);
  // Cut lines and budget stops are named by a path the blob was met at and the blob; too-large blobs by their path.
  const tooLarge = new Set(outcome.tooLarge);
  relabelUnits(outcome, (oid) => {
    const path = blobPath(oid);
    // A blob no listed commit names (a scan of all refs reads every blob there is) is no concern, as its findings are not.
    if (path === undefined) return [];
    if (tooLarge.has(oid)) return [reportPath(repo, path)];
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
    const { findings, part } = shardOutcome(repo, shard, digest.done(history.files), blobs, findingsByBlob);
    outcome.findings = findings;
    outcome.shard = part;
    return outcome;
  }
  outcome.findings = attributeHistory(repo, blobs, findingsByBlob);
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
  for (const { commit, gitPath, oid, seq } of introductions) {
    for (const f of findingsByBlob.get(oid) ?? []) {
      const finding: Finding = { ...f, path: reportPath(repo, gitPath), commit: commits[commit] as CommitInfo };
      findings.push(finding);
      withCandidates.add(commit);
      candidates.push({ seq, commit, gitPath, fingerprint: f.fingerprint, key: findingKey(finding) });
    }
  }
  const relevant = [...withCandidates].sort((a, b) => a - b).flatMap((c): [number, string[]][] => (deletions.has(c) ? [[c, deletions.get(c) as string[]]] : []));
  return { findings, part: { index: shard.index, count: shard.count, listing: listingHash, commits: commits.length, candidates, deletions: relevant } };
}
