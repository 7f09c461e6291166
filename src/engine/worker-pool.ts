import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetectOptions } from '../detect/detect';
import { CHUNK_BYTES } from '../sources/read-file';
import type { Rule } from '../types';
import { emptyOutcome, scanFileBatch, type BatchOutcome, type FileTask } from './scan-file';
import { GitError } from '../git/exec';
import type { BlobRun, BlobScanOutcome } from '../sources/blob-scan';
import type { BatchRequest, BlobWorkerMessage, WorkerSetup } from './scan-worker';
import { engineSetupOf, type EngineSetup, type KeptSecrets } from './engine-setup';

export interface EngineOptions extends DetectOptions {
  rules: readonly Rule[];
  /** Threads reading and scanning; default: the number of cores, and one for small scans. */
  threads?: number;
  maxFileSize?: number;
}

/** Below this many files, starting workers (~30 ms each) costs more than it saves, unless threads are asked for. */
const MIN_FILES_FOR_WORKERS = 256;
/** Batches a worker holds at once: one being scanned, one queued, so no worker waits and memory stays flat. */
const BATCHES_IN_FLIGHT = 2;

/**
 * The compiled worker entry. Under ts-jest, src/*.ts is not compiled, so the worker runs from dist/ (built by
 * `npm run build`, which `npm ci` runs); when that is missing too, the scan runs in this thread.
 */
export function workerEntry(): string | undefined {
  const sibling = path.join(__dirname, 'scan-worker.js');
  if (__filename.endsWith('.js')) return existsSync(sibling) ? sibling : undefined;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'src', 'engine', 'scan-worker.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Most files per batch: small enough to balance the load (a batch may hold a 20 MB file), big enough to amortise
 * messages. Fewer when the scan is small, so that every thread gets a share.
 */
const BATCH_FILES = 48;

/** Up to `n` more items of `source`. */
function take<T>(source: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

function* chain<T>(head: readonly T[], rest: Iterator<T>): Generator<T> {
  yield* head;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/**
 * Reads and scans `files` (pulled as the scan goes, so a lazy listing is never held whole), on worker threads
 * when there are enough of them, and returns the merged outcome. Findings are the same, finding for finding,
 * whatever the number of threads.
 */
export async function scanFiles(files: Iterable<FileTask>, options: EngineOptions): Promise<BatchOutcome> {
  const source = files[Symbol.iterator]();
  // The first files decide: a small scan (a pre-commit) is over before workers would have started.
  const head = take(source, MIN_FILES_FOR_WORKERS);
  const threads = options.threads !== undefined ? Math.max(1, Math.floor(options.threads)) : head.length < MIN_FILES_FOR_WORKERS ? 1 : availableParallelism();
  const entry = threads > 1 ? workerEntry() : undefined;
  // Rules or an allowlist made by a program (not from a config) cannot be rebuilt on a worker: they run here.
  const setup = engineSetupOf(options.rules, options);
  if (!entry || !setup || head.length === 0) {
    return scanFileBatch(chain(head, source), options.rules, options, Buffer.allocUnsafe(CHUNK_BYTES), options.maxFileSize);
  }
  const batchFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(head.length / (threads * 4))));
  return scanOnWorkers(entry, setup, chain(head, source), threads, batchFiles, options);
}

/** True when the scan's rules and allowlist can be rebuilt on worker threads (see engine-setup.ts). */
export function canScanOnWorkers(options: EngineOptions): boolean {
  return engineSetupOf(options.rules, options) !== undefined;
}

/** Worker threads started in this process (observed by tests: a config must not turn threads off). */
export const workerStats = { started: 0 };

function startWorker(entry: string, setup: WorkerSetup): Worker {
  workerStats.started++;
  return new Worker(entry, { workerData: setup });
}

/**
 * `threads - 1` workers plus this thread, which would otherwise only wait: one isolate (~50 MB) less, and
 * no core idle. This thread scans one batch at a time and then lets the workers' messages in, and workers hold
 * two batches each, so none of them waits for it.
 */
function scanOnWorkers(
  entry: string,
  engine: EngineSetup,
  files: Iterator<FileTask>,
  threads: number,
  batchFiles: number,
  options: EngineOptions,
): Promise<BatchOutcome> {
  const setup: WorkerSetup = { engine, maxFileSize: options.maxFileSize };
  const total = emptyOutcome();
  const workers: Worker[] = [];
  let pending = 0;
  let exhausted = false;
  let localDone = false;
  let batchId = 0;
  return new Promise<BatchOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(total);
    };
    const maybeDone = (): void => {
      if (exhausted && pending === 0 && localDone) finish();
    };
    const nextBatch = (): FileTask[] | undefined => {
      if (exhausted || settled) return undefined;
      try {
        const batch = take(files, batchFiles);
        if (batch.length > 0) return batch;
      } catch (error) {
        finish(error as Error);
        return undefined;
      }
      exhausted = true;
      return undefined;
    };
    // Back-pressure: the listing is pulled only when a thread has room for another batch.
    const feed = (worker: Worker): void => {
      const batch = nextBatch();
      if (!batch) return maybeDone();
      pending++;
      worker.postMessage({ id: batchId++, files: batch } satisfies BatchRequest);
    };
    for (let i = 0; i < threads - 1; i++) {
      const worker = startWorker(entry, setup);
      workers.push(worker);
      worker.on('message', ({ outcome, secrets }: { outcome: BatchOutcome; secrets: KeptSecrets }) => {
        keepSecrets(secrets, options);
        pending--;
        mergeInto(total, outcome);
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (code !== 0) finish(new Error(`scan worker stopped with exit code ${code}`));
      });
      for (let b = 0; b < BATCHES_IN_FLIGHT; b++) feed(worker);
    }
    const scratch = Buffer.allocUnsafe(CHUNK_BYTES);
    const scanHere = (): void => {
      const batch = nextBatch();
      if (!batch) {
        localDone = true;
        return maybeDone();
      }
      mergeInto(total, scanFileBatch(batch, options.rules, options, scratch, options.maxFileSize));
      setImmediate(scanHere);
    };
    setImmediate(scanHere);
  });
}

/** Hands the clear secrets a worker sent back (only with --verify) to the scan's keepSecret. */
function keepSecrets(secrets: KeptSecrets | undefined, options: DetectOptions): void {
  if (secrets && options.keepSecret) for (const [fingerprint, secret] of secrets) options.keepSecret(fingerprint, secret);
}

function mergeInto(total: BatchOutcome, part: BatchOutcome): void {
  for (const finding of part.findings) total.findings.push(finding);
  for (const error of part.errors) total.errors.push(error);
  for (const p of part.cutLinePaths) total.cutLinePaths.push(p);
  for (const p of part.tooLarge) total.tooLarge.push(p);
  for (const o of part.overBudget) total.overBudget.push(o);
  total.files += part.files;
  total.bytes += part.bytes;
  total.suppressed += part.suppressed;
}

/**
 * Reads and scans `oids` on a worker thread that runs its own `git cat-file --batch`, so the blob stream never
 * passes through this thread. Findings come back allowed and redacted as on this thread (see engine-setup.ts).
 * `onProgress` receives the number of blobs, and their bytes, done since its last call.
 */
export function scanBlobsOnWorker(
  entry: string,
  cwd: string,
  oids: string[],
  options: EngineOptions,
  onProgress?: (blobs: number, bytes: number) => void,
): BlobRun {
  const engine = engineSetupOf(options.rules, options);
  if (!engine) throw new Error('scanBlobsOnWorker needs rules and an allowlist made from plain data (see canScanOnWorkers)');
  const setup: WorkerSetup = { engine, maxFileSize: options.maxFileSize, blobs: { cwd, oids } };
  const worker = startWorker(entry, setup);
  let settled = false;
  const done = new Promise<BlobScanOutcome>((resolve, reject) => {
    const finish = (error: Error | undefined, outcome?: BlobScanOutcome): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve(outcome as BlobScanOutcome);
    };
    worker.on('message', (message: BlobWorkerMessage) => {
      if ('progress' in message) onProgress?.(message.progress, message.bytes);
      else if ('outcome' in message) {
        keepSecrets(message.secrets, options);
        finish(undefined, message.outcome);
      }
      else {
        const { message: text, code, stderr, git } = message.error;
        finish(git ? new GitError(text, code, stderr) : new Error(text));
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`scan worker stopped with exit code ${code}`)));
  });
  done.catch(() => undefined); // observed by the caller
  return {
    done,
    abort() {
      settled = true;
      void worker.terminate();
    },
  };
}
