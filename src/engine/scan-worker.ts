/**
 * Worker-thread entry: scans the batches of files the pool sends and posts each batch's outcome back.
 * It only ever runs compiled (dist/src/engine/scan-worker.js); see worker-pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CHUNK_BYTES } from '../fragments/read-file';
import { GitError } from '../git/exec';
import type { FileUnit, ScanOutcome } from '../types';
import { buildDetection, type DetectionSetup, type KeptSecrets } from './detection-setup';
import { scanBlobsHere } from './scan-blobs';
import { scanFileBatch } from './scan-file';

/** What a worker is started with: plain data only (functions cannot cross threads; see detection-setup.ts). */
export interface WorkerSetup {
  detection: DetectionSetup;
  maxFileSize?: number;
  /** Instead of files: read these blobs with `git cat-file` in `cwd` and scan them (see scanBlobsOnWorker). */
  blobs?: { cwd: string; oids: string[] };
}

/** Messages of a blob-scanning worker: progress (blobs and bytes done since the last one), then the outcome or an error. */
export type BlobWorkerMessage =
  | { progress: number; bytes: number }
  | { outcome: ScanOutcome; secrets?: KeptSecrets }
  | { error: { message: string; code: number | null; stderr: string; git: boolean } };

export interface BatchRequest {
  id: number;
  files: FileUnit[];
}

const setup = workerData as WorkerSetup;
// The same rules, allowlist and redaction as the main thread: findings leave the worker as they will be reported.
// With --verify, the clear secrets of the findings go back beside each outcome (the findings themselves are redacted).
const kept: KeptSecrets = [];
const { rules, detect } = buildDetection(setup.detection, kept);
const scratch = Buffer.allocUnsafe(CHUNK_BYTES);
/** Blobs between two progress messages. */
const BLOB_PROGRESS_EVERY = 512;

if (setup.blobs) {
  const post = (message: BlobWorkerMessage): void => parentPort?.postMessage(message);
  let done = 0;
  let bytes = 0;
  const run = scanBlobsHere(setup.blobs.cwd, setup.blobs.oids, rules, detect, setup.maxFileSize, (size) => {
    bytes += size;
    if (++done === BLOB_PROGRESS_EVERY) {
      post({ progress: done, bytes });
      done = bytes = 0;
    }
  });
  run.done.then(
    (outcome) => {
      if (done) post({ progress: done, bytes });
      post({ outcome, secrets: kept.splice(0) });
    },
    (error: Error) => {
      const git = error instanceof GitError;
      post({ error: { message: error.message, code: git ? error.exitCode : null, stderr: git ? error.stderr : '', git } });
    },
  );
} else {
  parentPort?.on('message', (request: BatchRequest) => {
    const outcome = scanFileBatch(request.files, rules, detect, scratch, setup.maxFileSize);
    parentPort?.postMessage({ id: request.id, outcome, secrets: kept.splice(0) });
  });
}
