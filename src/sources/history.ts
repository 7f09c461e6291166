import { builtinRules } from '../../rules';
import { availableParallelism } from 'node:os';
import type { DetectOptions } from '../detect/detect';
import { canScanOnWorkers, workerEntry, scanBlobsOnWorker } from '../engine/worker-pool';
import { overBudgetWarning } from '../engine/scan-file';
import { listBlobs, openBlobReader, splitRuns, type BlobList, type BlobReader } from '../git/cat-file';
import { gitOutput } from '../git/exec';
import { streamCommitChanges } from '../git/log';
import { isRegularFile } from '../git/raw';
import { fetchObjects, promisorRemote } from '../git/promisor';
import { gitFailure, reportPath, type Repository } from '../git/repo';
import { FindingCollector } from '../scan';
import type { CommitInfo, Finding, Rule, ScanResult } from '../types';
import { blobScanHandlers, emptyBlobOutcome, recordUnreadBlobs, scanBlobRun, type BlobRun, type BlobScanOutcome, type UnreadBlob } from './blob-scan';
import { tooLargeWarning } from './changes';
import { attributeIntroductions, findingKey, inShard, listingDigest, type HistoryShard, type ShardSpec } from './history-shard';

export interface HistoryProgress {
  commits: number;
  /** Distinct blobs queued so far, and read. */
  blobs: number;
  blobsDone: number;
  bytes: number;
  /** The commit listing has finished, so `blobs` is final. */
  listed: boolean;
}

export interface HistoryScanOptions extends DetectOptions {
  rules?: readonly Rule[];
  /** Revisions for `git log`: `['--all']`, `['^A', 'B']`, … (already checked by the caller). */
  revArgs: readonly string[];
  /** Limit to these paths (from the top folder), taken literally. */
  paths?: readonly string[];
  isExcludedPath?: (path: string) => boolean;
  /** Blobs larger than this many bytes are not read; the result warns about them (config `maxFileSize`). */
  maxFileSize?: number;
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

/** Below this many bytes of blobs, starting worker threads (~30 ms each) costs more than it saves. */
const MIN_BYTES_FOR_WORKERS = 1 << 20;

interface Introduction {
  commit: number;
  gitPath: string;
  oid: string;
}

/**
 * Every key ever committed on the given revisions, each distinct key of a path once, at the commit that
 * introduced it. Two processes run side by side: `git log --raw` lists, parents first, which (path, blob)
 * pairs each commit brought in, while `git cat-file --batch` streams blob contents to the engine — every
 * blob of the repository in pack order for a scan of all refs (split over one process per core), else each blob
 * as the listing first names it. No patch is ever computed and no blob read twice.
 * Attribution then walks the commits in order; a key that appears at a path in the same commit that deleted
 * a path holding it is a rename or move, not a new leak.
 */
export async function scanHistory(repo: Repository, options: HistoryScanOptions): Promise<ScanResult> {
  const startedAt = performance.now();
  const rules = options.rules ?? builtinRules;
  const collector = new FindingCollector(rules, options);
  const commits: CommitInfo[] = [];
  const introductions: Introduction[] = [];
  const deletions = new Map<number, string[]>();
  // The paths each blob was brought in at, its first first: one string for most blobs. Blob ids are copies and
  // paths copies made once (`own`): a string cut out of git's output would keep the whole piece of output it came from.
  const blobPaths = new Map<string, string | Set<string>>();
  const blobPath = (oid: string): string | undefined => {
    const paths = blobPaths.get(oid);
    return paths === undefined || typeof paths === 'string' ? paths : paths.values().next().value;
  };
  const names = new Map<string, string>();
  const own = (text: string): string => {
    let copy = names.get(text);
    if (copy === undefined) names.set((copy = copyOf(text)), copy);
    return copy;
  };
  const progress: HistoryProgress = { commits: 0, blobs: 0, blobsDone: 0, bytes: 0, listed: false };
  const shard = options.shard;
  const mine = (oid: string): boolean => !shard || inShard(oid, shard);
  const digest = listingDigest();

  // A scan of all refs reads every blob in pack order (two runs, each on a worker thread with its own cat-file),
  // side by side with the listing; a narrowed scan reads only the blobs the listing names.
  const allObjects = options.revArgs.length === 1 && options.revArgs[0] === '--all' && !options.paths?.length;
  const outcomes: BlobScanOutcome[] = [];
  const onBlob = (bytes: number): void => {
    progress.blobsDone++;
    progress.bytes += bytes;
    options.onProgress?.(progress);
  };
  // Blobs listed by `cat-file --batch-check` in a scan of all refs: whatever the commit listing names beyond them
  // is missing from the repository.
  let listed: Set<string> | undefined;
  let runs: BlobRun[] = [];
  let aborted = false;
  const abortReading = (): void => {
    aborted = true;
    for (const run of runs) run.abort();
  };
  let reader: BlobReader | undefined;
  let reading: Promise<unknown>;
  if (allObjects) {
    reading = (async () => {
      const everyBlob = await listBlobs(repo.top);
      if (aborted) return;
      listed = new Set(everyBlob.oids);
      const list = shard ? blobsOfShard(everyBlob, shard) : everyBlob;
      progress.blobs = list.oids.length;
      const parts = splitRuns(list, Math.min(2, availableParallelism()));
      const entry = parts.length > 1 && list.bytes >= MIN_BYTES_FOR_WORKERS && canScanOnWorkers({ ...options, rules }) ? workerEntry() : undefined;
      const engine = { ...options, rules };
      runs = parts.map((oids) =>
        entry
          ? scanBlobsOnWorker(entry, repo.top, oids, engine, (blobs, bytes) => {
              progress.blobsDone += blobs;
              progress.bytes += bytes;
              options.onProgress?.(progress);
            })
          : scanBlobRun(repo.top, oids, rules, options, options.maxFileSize, onBlob),
      );
      for (const outcome of await Promise.all(runs.map((run) => run.done))) outcomes.push(outcome);
    })();
  } else {
    const out = emptyBlobOutcome();
    outcomes.push(out);
    reader = openBlobReader(repo.top, blobScanHandlers(rules, options, options.maxFileSize, out, onBlob));
    reading = Promise.resolve();
  }
  reading.catch(() => undefined); // observed below

  const pathspecs = (options.paths ?? []).map((p) => `:(literal)${p}`);
  const listing = streamCommitChanges(repo, options.revArgs, pathspecs, { network: options.fetchMissing }, ({ commit, entries }) => {
    const { sha, author, email, date, message } = commit;
    const index = commits.push({ sha: copyOf(sha), author: own(author), email: own(email), date: copyOf(date), message: copyOf(message) }) - 1;
    progress.commits++;
    digest.add(sha);
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
        if (reader && mine(oid)) {
          progress.blobs++;
          reader.request(oid);
        }
        continue;
      }
      if (typeof seen === 'string') blobPaths.set(oid, new Set([seen, path]));
      else seen.add(path);
      introductions.push({ commit: index, gitPath: path, oid });
    }
  });
  try {
    await listing;
  } catch (error) {
    reader?.abort();
    abortReading();
    throw error;
  }
  progress.listed = true;
  try {
    await reader?.end();
    await reading;
  } catch (error) {
    abortReading();
    throw gitFailure(error);
  }
  options.onProgress?.(progress);

  const missing = new Set<string>();
  const corrupt = new Map<string, string>();
  const tooLarge = new Set<string>();
  const blobFindings = new Map<string, Finding[]>();
  const merge = (outcome: BlobScanOutcome): void => {
    collector.files += outcome.files;
    collector.bytes += outcome.bytes;
    collector.suppressed += outcome.suppressed;
    for (const [oid, found] of outcome.findings) blobFindings.set(oid, found);
    for (const oid of outcome.tooLarge) tooLarge.add(oid);
    for (const oid of outcome.missing) missing.add(oid);
    for (const { oid, reason } of outcome.unreadable) corrupt.set(oid, reason);
    for (const stop of outcome.overBudget) collector.warnings.push(overBudgetWarning({ ...stop, path: `${blobPath(stop.path)} (blob ${stop.path.slice(0, 12)})` }));
    for (const oid of outcome.cutLines) {
      collector.warnings.push(`${blobPath(oid)} (blob ${oid.slice(0, 12)}): a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed`);
    }
  };
  for (const outcome of outcomes) merge(outcome);
  // Blobs the commit listing named that the repository does not have (a blob named by no commit is no concern).
  if (listed) for (const oid of blobPaths.keys()) if (!listed.has(oid)) missing.add(oid);
  for (const oid of missing) if (!blobPaths.has(oid) || !mine(oid)) missing.delete(oid);
  for (const oid of corrupt.keys()) if (!blobPaths.has(oid)) corrupt.delete(oid);

  const promisor = missing.size > 0 ? await promisorRemote(repo) : undefined;
  if (promisor && options.fetchMissing) {
    const wanted = [...missing];
    missing.clear();
    try {
      await fetchObjects(repo, promisor, wanted);
    } catch (error) {
      collector.warnings.push(`--fetch-missing: git could not fetch the missing blobs from ${promisor} (${(error as Error).message})`);
    }
    merge(await scanBlobRun(repo.top, wanted, rules, options, options.maxFileSize, onBlob).done.catch((error) => {
      throw gitFailure(error);
    }));
  }
  progress.bytes = collector.bytes;
  const unread: UnreadBlob[] = [];
  for (const oid of missing) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid) });
  for (const [oid, reason] of corrupt) unread.push({ oid, path: reportPath(repo, blobPath(oid) ?? oid), reason });
  // Nothing is thrown away: each unread blob is an error of the result, and every other finding is still reported.
  recordUnreadBlobs(repo, unread, promisor, collector);
  const largePaths = [...new Set([...tooLarge].flatMap((oid) => {
    const path = blobPath(oid);
    return path === undefined ? [] : [reportPath(repo, path)];
  }))];
  if (largePaths.length > 0) collector.warnings.push(tooLargeWarning(largePaths.sort(), options.maxFileSize as number));
  if (repo.shallow) collector.warnings.push(shallowWarning(repo, commits.length));
  if (shard) {
    const { findings, part } = shardOutcome(repo, shard, digest.done(introductions.length), commits, introductions, deletions, blobFindings);
    for (const finding of findings) collector.findings.push(finding);
    return { ...collector.result(startedAt), shard: part };
  }
  for (const finding of attribute(repo, commits, introductions, deletions, blobFindings)) collector.findings.push(finding);
  return collector.result(startedAt);
}

function shallowWarning(repo: Repository, commits: number): string {
  return `${repo.top} is a shallow clone: history was scanned only as far back as it goes (${commits} commits), and keys in older commits are not found — run git fetch --unshallow first to scan it all`;
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
  listing: string,
  commits: readonly CommitInfo[],
  introductions: readonly Introduction[],
  deletions: ReadonlyMap<number, string[]>,
  blobFindings: ReadonlyMap<string, Finding[]>,
): { findings: Finding[]; part: HistoryShard } {
  const findings: Finding[] = [];
  const candidates: HistoryShard['candidates'] = [];
  const withCandidates = new Set<number>();
  introductions.forEach(({ commit, gitPath, oid }, seq) => {
    for (const f of blobFindings.get(oid) ?? []) {
      const finding = { ...f, path: reportPath(repo, gitPath), commit: commits[commit] };
      findings.push(finding);
      withCandidates.add(commit);
      candidates.push({ seq, commit, gitPath, fingerprint: f.fingerprint, key: findingKey(finding) });
    }
  });
  const relevant = [...withCandidates].sort((a, b) => a - b).flatMap((c): [number, string[]][] => (deletions.has(c) ? [[c, deletions.get(c) as string[]]] : []));
  return { findings, part: { index: shard.index, count: shard.count, listing, commits: commits.length, candidates, deletions: relevant } };
}

/** A string of its own, not a slice of a longer one (which V8 would keep whole for it). */
function copyOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Each (path, key) at its first commit, renames and moves within one commit not counted again. */
function attribute(
  repo: Repository,
  commits: readonly CommitInfo[],
  introductions: readonly Introduction[],
  deletions: ReadonlyMap<number, string[]>,
  blobFindings: ReadonlyMap<string, Finding[]>,
): Finding[] {
  const entries = introductions.map(({ commit, gitPath, oid }) => ({ commit, gitPath, findings: blobFindings.get(oid) ?? [] }));
  return attributeIntroductions(entries, deletions, (f) => f.fingerprint).map(({ finding, entry }) => ({
    ...finding,
    path: reportPath(repo, entry.gitPath),
    commit: commits[entry.commit],
  }));
}

/** The commit a finding falls back to when no commit in a range introduced it (e.g. it came by a rename). */
export async function commitInfo(repo: Repository, sha: string): Promise<CommitInfo> {
  const out = await gitOutput(['log', '-1', '--no-show-signature', '--no-mailmap', '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s', sha, '--'], repo.top).catch((e) => {
    throw gitFailure(e);
  });
  const [hash, author, email, date, message] = out.trim().split('\x1f');
  return { sha: hash, author, email, date, message: message ?? '' };
}
