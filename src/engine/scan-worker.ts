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
  /** Instead of files: read blobs with `git cat-file` in `cwd` and scan them, as BlobRequests name them (see scanBlobsOnWorker). */
  blobs?: { cwd: string };
}

/** To a blob-scanning worker: more blob ids, or the end of them. */
export type BlobRequest = { oids: string[] } | { end: true };

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
const BLOB_PROGRESS_EVERY = 128;

if (setup.blobs) {
  const post = (message: BlobWorkerMessage): void => parentPort?.postMessage(message);
  const postError = (error: Error): void => {
    const git = error instanceof GitError;
    post({ error: { message: error.message, code: git ? error.exitCode : null, stderr: git ? error.stderr : '', git } });
  };
  let received = 0;
  let doneBlobs = 0;
  let unreported = 0;
  let bytes = 0;
  const run = scanBlobsHere(setup.blobs.cwd, [], rules, detect, setup.maxFileSize, (size) => {
    bytes += size;
    doneBlobs++;
    // The pool hands out more blobs as these come back: the last ones of what it sent are reported at once.
    if (++unreported === BLOB_PROGRESS_EVERY || doneBlobs === received) {
      post({ progress: unreported, bytes });
      unreported = bytes = 0;
    }
  });
  run.failed.catch(postError);
  parentPort?.on('message', (request: BlobRequest) => {
    if ('oids' in request) {
      received += request.oids.length;
      run.requestAll(request.oids);
      return;
    }
    run.end().then((outcome) => {
      if (unreported) post({ progress: unreported, bytes });
      post({ outcome, secrets: kept.splice(0) });
    }, postError);
  });
} else {
  parentPort?.on('message', (request: BatchRequest) => {
    const outcome = scanFileBatch(request.files, rules, detect, scratch, setup.maxFileSize);
    parentPort?.postMessage({ id: request.id, outcome, secrets: kept.splice(0) });
  });
}
