/**
 * Worker-thread entry: scans the batches of files the pool sends and posts each batch's outcome back.
 * It only ever runs compiled (dist/src/engine/scan-worker.js); see worker-pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { builtinRules } from '../../rules';
import { CHUNK_BYTES } from '../sources/read-file';
import { scanFileBatch, type FileTask } from './scan-file';

/** What a worker is started with: plain data only (rules are looked up by id, functions cannot cross threads). */
export interface WorkerSetup {
  ruleIds: string[];
  inlineAllow?: boolean;
  maxFileSize?: number;
}

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

// Secrets travel in clear to the main thread, which applies the allowlist and redaction (see worker-pool.ts).
parentPort?.on('message', (request: BatchRequest) => {
  const outcome = scanFileBatch(request.files, rules, { showSecret: true, inlineAllow: setup.inlineAllow }, scratch, setup.maxFileSize);
  parentPort?.postMessage({ id: request.id, outcome });
});
