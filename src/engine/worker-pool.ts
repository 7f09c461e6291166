import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetectOptions } from '../detect/detect';
import { CHUNK_BYTES } from '../fragments/read-file';
import { GitError } from '../git/exec';
import { emptyOutcome, mergeOutcome } from '../outcome';
import type { FileUnit, Rule, ScanOutcome } from '../types';
import type { DetectionSetup, KeptSecrets } from './detection-setup';
import type { BlobRun } from './scan-blobs';
import { scanFileBatch } from './scan-file';
import type { BatchRequest, BlobWorkerMessage, WorkerSetup } from './scan-worker';

/** What the pool scans with: the rules and detection options, and the same as plain data for the workers. */
export interface PoolOptions {
  rules: readonly Rule[];
  detect: DetectOptions;
  setup: DetectionSetup;
  maxFileSize?: number;
}

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
 * Batches a worker holds at once: one being scanned, the others queued, so that no worker waits while this thread
 * is busy with its own share (it answers a worker's message only between two of its own batches). With two, the
 * worker of a 2-core scan sat idle 20% of the time (issue 12's config tree); memory stays flat either way.
 */
const BATCHES_IN_FLIGHT = 4;

/** Up to `n` more items of `source`. */
export function take<T>(source: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
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
export function scanFilesOnWorkers(
  entry: string,
  files: Iterator<FileUnit>,
  threads: number,
  batchFiles: number,
  options: PoolOptions,
): Promise<ScanOutcome> {
  const setup: WorkerSetup = { detection: options.setup, maxFileSize: options.maxFileSize };
  const total = emptyOutcome();
  const workers: Worker[] = [];
  let pending = 0;
  let exhausted = false;
  let localDone = false;
  let batchId = 0;
  return new Promise<ScanOutcome>((resolve, reject) => {
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
    const nextBatch = (): FileUnit[] | undefined => {
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
      worker.on('message', ({ outcome, secrets }: { outcome: ScanOutcome; secrets: KeptSecrets }) => {
        keepSecrets(secrets, options.detect);
        pending--;
        mergeOutcome(total, outcome);
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
      mergeOutcome(total, scanFileBatch(batch, options.rules, options.detect, scratch, options.maxFileSize));
      setImmediate(scanHere);
    };
    setImmediate(scanHere);
  });
}

/** Hands the clear secrets a worker sent back (only with --verify) to the scan's keepSecret. */
function keepSecrets(secrets: KeptSecrets | undefined, options: DetectOptions): void {
  if (secrets && options.keepSecret) for (const [fingerprint, secret] of secrets) options.keepSecret(fingerprint, secret);
}

/**
 * Reads and scans `oids` on a worker thread that runs its own `git cat-file --batch`, so the blob stream never
 * passes through this thread. Findings come back allowed and redacted as on this thread (see detection-setup.ts).
 * `onProgress` receives the number of blobs, and their bytes, done since its last call.
 */
export function scanBlobsOnWorker(
  entry: string,
  cwd: string,
  oids: string[],
  options: PoolOptions,
  onProgress?: (blobs: number, bytes: number) => void,
): BlobRun {
  const setup: WorkerSetup = { detection: options.setup, maxFileSize: options.maxFileSize, blobs: { cwd, oids } };
  const worker = startWorker(entry, setup);
  let settled = false;
  const done = new Promise<ScanOutcome>((resolve, reject) => {
    const finish = (error: Error | undefined, outcome?: ScanOutcome): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve(outcome as ScanOutcome);
    };
    worker.on('message', (message: BlobWorkerMessage) => {
      if ('progress' in message) onProgress?.(message.progress, message.bytes);
      else if ('outcome' in message) {
        keepSecrets(message.secrets, options.detect);
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
