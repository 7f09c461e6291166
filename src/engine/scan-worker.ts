/**
 * Worker-thread entry: scans the batches of files the pool sends and posts each batch's outcome back.
 * It only ever runs compiled (dist/src/engine/scan-worker.js); see worker-pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { builtinRules } from '../../rules';
import { GitError } from '../git/exec';
import { scanBlobRun, type BlobScanOutcome } from '../sources/blob-scan';
import { CHUNK_BYTES } from '../sources/read-file';
import { scanFileBatch, type FileTask } from './scan-file';

/** What a worker is started with: plain data only (rules are looked up by id, functions cannot cross threads). */
export interface WorkerSetup {
  ruleIds: string[];
  inlineAllow?: boolean;
  maxFileSize?: number;
  /** Instead of files: read these blobs with `git cat-file` in `cwd` and scan them (see scanBlobsOnWorker). */
  blobs?: { cwd: string; oids: string[] };
}

/** Messages of a blob-scanning worker: progress (blobs and bytes done since the last one), then the outcome or an error. */
export type BlobWorkerMessage =
  | { progress: number; bytes: number }
  | { outcome: BlobScanOutcome }
  | { error: { message: string; code: number | null; stderr: string; git: boolean } };

export interface BatchRequest {
  id: number;
  files: FileTask[];
}

const setup = workerData as WorkerSetup;
const byId = new Map(builtinRules.map((rule) => [rule.id, rule]));
const rules = setup.ruleIds.map((id) => {
  const rule = byId.get(id);
  if (!rule) throw new Error(`rule ${id} is not a built-in rule`);
  return rule;
});
const scratch = Buffer.allocUnsafe(CHUNK_BYTES);
/** Blobs between two progress messages. */
const BLOB_PROGRESS_EVERY = 512;

// Secrets travel in clear to the main thread, which applies the allowlist and redaction (see worker-pool.ts).
if (setup.blobs) {
  const post = (message: BlobWorkerMessage): void => parentPort?.postMessage(message);
  let done = 0;
  let bytes = 0;
  const run = scanBlobRun(setup.blobs.cwd, setup.blobs.oids, rules, { showSecret: true, inlineAllow: setup.inlineAllow }, setup.maxFileSize, (size) => {
    bytes += size;
    if (++done === BLOB_PROGRESS_EVERY) {
      post({ progress: done, bytes });
      done = bytes = 0;
    }
  });
  run.done.then(
    (outcome) => {
      if (done) post({ progress: done, bytes });
      post({ outcome });
    },
    (error: Error) => {
      const git = error instanceof GitError;
      post({ error: { message: error.message, code: git ? error.exitCode : null, stderr: git ? error.stderr : '', git } });
    },
  );
} else {
  parentPort?.on('message', (request: BatchRequest) => {
    const outcome = scanFileBatch(request.files, rules, { showSecret: true, inlineAllow: setup.inlineAllow }, scratch, setup.maxFileSize);
    parentPort?.postMessage({ id: request.id, outcome });
  });
}
