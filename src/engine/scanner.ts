import { availableParallelism } from 'node:os';
import type { DetectOptions } from '../detect/detect';
import { CHUNK_BYTES } from '../fragments/read-file';
import { splitRuns } from '../git/cat-file';
import { emptyOutcome, mergeOutcome } from '../outcome';
import type { BlobScan, BlobUnits, FileUnit, Rule, ScanOutcome, Scanner } from '../types';
import { detectionSetupOf } from './detection-setup';
import { scanBlobsHere, type BlobRun } from './scan-blobs';
import { ContentReader } from './content-reader';
import { scanFileBatch } from './scan-file';
import { scanBlobsOnWorker, scanFilesOnWorkers, take, workerEntry, type PoolOptions } from './worker-pool';

export interface ScannerOptions {
  rules: readonly Rule[];
  detect: DetectOptions;
  /** Units larger than this many bytes are not read (config `maxFileSize`). */
  maxFileSize?: number;
  /** Threads reading and scanning; default: the number of cores, and one for small scans. */
  threads?: number;
  /** Blobs up to this total read one of their two runs on this thread (default MAX_BYTES_FOR_A_RUN_HERE; tests set 0). */
  blobRunHereUpTo?: number;
}

// The one threads policy. Starting a worker costs ~30 ms: below these amounts of work it costs more than it saves.
/** Files: the first ones listed decide, so a small scan (a pre-commit) is over before workers would have started. */
const MIN_FILES_FOR_THREADS = 256;
/** Blobs: their total size is known up front (`cat-file --batch-all-objects --batch-check`). */
const MIN_BYTES_FOR_THREADS = 1 << 20;
/** Blob runs read side by side, each with its own `cat-file` (in pack order): two measured best; more only contend for the disk. */
const MAX_BLOB_RUNS = 2;
/**
 * Blobs up to this total are read in two runs, one on this thread and one on a worker, instead of on two workers:
 * for a history this small this thread is mostly idle after listing, and a worker costs ~0.15 s of CPU to start. A
 * big history keeps this thread busy listing and parsing, so its runs both go to workers (measured on babel: a share
 * here cost more CPU there). 5,000-commit synthetic history (44 MB of blobs), 12 runs alternated: 1.38 → 1.23 s
 * wall, 2.47 → 2.17 s CPU.
 */
const MAX_BYTES_FOR_A_RUN_HERE = 64 << 20;
/**
 * Most files per batch: small enough to balance the load (a batch may hold a 20 MB file), big enough to amortise
 * messages. Fewer when the scan is small, so that every thread gets a share.
 */
const BATCH_FILES = 48;

/** How many threads a piece of work gets: the asked number, else every core for enough work, else one. */
export function threadsFor(asked: number | undefined, work: { files?: number; bytes?: number }): number {
  if (asked !== undefined) return Math.max(1, Math.floor(asked));
  const enough = (work.files ?? 0) >= MIN_FILES_FOR_THREADS || (work.bytes ?? 0) >= MIN_BYTES_FOR_THREADS;
  return enough ? availableParallelism() : 1;
}

/**
 * The scanning engine: takes units from any source, decides threads (threadsFor), reads and fragments their bytes
 * and runs detection whole (allowlist and redaction included) on whichever thread, and returns one ScanOutcome.
 * Findings are the same, finding for finding, whatever the number of threads.
 */
export function createScanner(options: ScannerOptions): Scanner {
  const { rules, detect, maxFileSize } = options;
  // Rules or an allowlist made by a program (not from a config) cannot be rebuilt on a worker: they run here.
  const setup = detectionSetupOf(rules, detect);
  const pool = (): PoolOptions | undefined => (setup ? { rules, detect, setup, maxFileSize } : undefined);
  return {
    async files(files: Iterable<FileUnit>): Promise<ScanOutcome> {
      const source = files[Symbol.iterator]();
      const head = take(source, MIN_FILES_FOR_THREADS);
      const threads = threadsFor(options.threads, { files: head.length });
      const entry = threads > 1 ? workerEntry() : undefined;
      const all = chain(head, source);
      const onWorkers = pool();
      if (!entry || !onWorkers || head.length === 0) return scanFileBatch(all, rules, detect, Buffer.allocUnsafe(CHUNK_BYTES), maxFileSize);
      const batchFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(head.length / (threads * 4))));
      return scanFilesOnWorkers(entry, all, threads, batchFiles, onWorkers);
    },

    blobs(units: BlobUnits): BlobScan {
      const onBlob = (bytes: number): void => units.onBlob?.(1, bytes);
      const oids = units.oids ?? [];
      const runs = units.sizes && units.bytes !== undefined ? Math.min(MAX_BLOB_RUNS, threadsFor(options.threads, { bytes: units.bytes })) : 1;
      const entry = runs > 1 ? workerEntry() : undefined;
      const onWorkers = pool();
      if (!entry || !onWorkers) return scanBlobsHere(units.cwd, oids, rules, detect, maxFileSize, onBlob);
      const parts = splitRuns({ oids: [...oids], sizes: [...(units.sizes ?? [])], bytes: units.bytes ?? 0 }, runs);
      const oneHere = parts.length > 1 && (units.bytes ?? 0) <= (options.blobRunHereUpTo ?? MAX_BYTES_FOR_A_RUN_HERE);
      const running: BlobRun[] = parts.map((part, i) =>
        oneHere && i === 0 ? scanBlobsHere(units.cwd, part, rules, detect, maxFileSize, onBlob) : scanBlobsOnWorker(entry, units.cwd, part, onWorkers, units.onBlob),
      );
      let more: ReturnType<typeof scanBlobsHere> | undefined;
      return {
        // Blobs asked for beyond the list (none in practice) are read here.
        request(oid) {
          (more ??= scanBlobsHere(units.cwd, [], rules, detect, maxFileSize, onBlob)).request(oid);
        },
        async end() {
          const outcomes = await Promise.all([...running.map((run) => run.done), ...(more ? [more.end()] : [])]);
          return outcomes.reduce(mergeOutcome, emptyOutcome());
        },
        abort() {
          for (const run of running) run.abort();
          more?.abort();
        },
      };
    },

    async bytes(path: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<ScanOutcome> {
      const out = emptyOutcome();
      const reader = new ContentReader(path, out, rules, detect);
      for await (const chunk of chunks) {
        out.bytes += chunk.length;
        if (maxFileSize !== undefined && out.bytes > maxFileSize) {
          out.tooLarge.push(path);
          out.bytes = 0;
          return out;
        }
        reader.write(chunk);
      }
      reader.end();
      if (reader.kind !== 'binary') out.files++;
      if (reader.cutLines > 0) out.cutLines.push(path);
      return out;
    },
  };
}

function* chain<T>(head: readonly T[], rest: Iterator<T>): Generator<T> {
  yield* head;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}
