import type { DetectOptions } from '../detect/detect';
import { emptyOutcome, mergeOutcome } from '../outcome';
import type { BlobScan, Rule, ScanOutcome } from '../types';
import { scanBlobsHere } from './scan-blobs';
import { scanBlobsOnWorker, type BlobRunner, type PoolOptions } from './worker-pool';

/**
 * A block is up to this many consecutive blobs of the request order, or this many bytes: small enough that the
 * threads finish together and that a history of a few MB is already shared, large enough that messages are few.
 */
const BLOCK_BLOBS = 256;
const BLOCK_BYTES = 256 << 10;
/** Blocks a thread holds at once: one being read, one queued behind it so that its `cat-file` never waits. */
const BLOCKS_IN_FLIGHT = 2;

export interface BlobShareOptions {
  cwd: string;
  rules: readonly Rule[];
  detect: DetectOptions;
  maxFileSize?: number;
  /** Most threads reading at once, this one included. */
  maxThreads: number;
  /**
   * Workers are started once this many bytes of blobs of known size have been asked for; never for blobs asked for
   * without a size (named one by one, as a narrowed history or a staged change does).
   */
  minBytesForWorkers: number;
  /** The worker entry and what workers scan with; without them everything is read here. */
  workers?: { entry: string; pool: PoolOptions };
  onBlob?: (blobs: number, bytes: number) => void;
}

interface Share {
  runner: BlobRunner;
  /** Blobs sent to the runner, and reported done. */
  sent: number;
  done: number;
  /** For each block sent and not yet done: `sent` after it. */
  blockEnds: number[];
}

/**
 * Reads and scans blobs on this thread and, once there is enough to do, on workers: consecutive blocks of the
 * order they are asked for in (pack order for a whole history, so that each thread's `cat-file` keeps its delta
 * bases at hand) go to whichever thread has room. Reading starts with the first blob named, not once the list is
 * complete, and no thread stands idle while blocks wait. Every thread runs the same scan (scanBlobsHere), so the
 * findings are the same however the blocks fall.
 */
export function shareBlobs(options: BlobShareOptions): BlobScan & { request(oid: string, size?: number): void } {
  const shares: Share[] = [];
  const queue: string[][] = [];
  let queueHead = 0;
  let block: string[] = [];
  let blockBytes = 0;
  let knownBytes = 0;
  let sized = false;
  let ending = false;
  let stopped = false;
  let finishing = false;
  let dispatching = false;
  let again = false;
  let resolveAll!: (outcome: ScanOutcome) => void;
  let rejectAll!: (error: Error) => void;
  const all = new Promise<ScanOutcome>((resolve, reject) => {
    resolveAll = resolve;
    rejectAll = reject;
  });
  all.catch(() => undefined); // observed by the caller of end()

  const fail = (error: Error): void => {
    if (stopped) return;
    stopped = true;
    for (const share of shares) share.runner.abort();
    rejectAll(error);
  };
  const progress = (share: Share, blobs: number, bytes: number): void => {
    share.done += blobs;
    while (share.blockEnds.length && share.blockEnds[0] <= share.done) share.blockEnds.shift();
    options.onBlob?.(blobs, bytes);
    dispatch();
  };
  const startHere = (): void => {
    const share = { sent: 0, done: 0, blockEnds: [] } as unknown as Share;
    const run = scanBlobsHere(options.cwd, [], options.rules, options.detect, options.maxFileSize, (bytes) => progress(share, 1, bytes));
    run.failed.catch(fail);
    share.runner = { send: (oids) => run.requestAll(oids), end: () => run.end(), abort: () => run.abort() };
    shares.push(share);
  };
  const startWorker = (workers: { entry: string; pool: PoolOptions }): void => {
    const share = { sent: 0, done: 0, blockEnds: [] } as unknown as Share;
    share.runner = scanBlobsOnWorker(workers.entry, options.cwd, workers.pool, (blobs, bytes) => progress(share, blobs, bytes), fail);
    shares.push(share);
  };
  const workerWanted = (): boolean =>
    options.workers !== undefined && sized && shares.length < options.maxThreads && knownBytes >= options.minBytesForWorkers && queueHead < queue.length;

  const nextBlock = (idle: boolean): string[] | undefined => {
    if (queueHead < queue.length) {
      const next = queue[queueHead];
      queue[queueHead++] = [];
      return next;
    }
    // The block being filled goes to a thread with nothing to do, or at the end.
    if (block.length === 0 || !(idle || ending)) return undefined;
    const next = block;
    block = [];
    blockBytes = 0;
    return next;
  };
  const distribute = (): void => {
    for (;;) {
      let best: Share | undefined;
      for (const share of shares) if (share.blockEnds.length < BLOCKS_IN_FLIGHT && (!best || share.blockEnds.length < best.blockEnds.length)) best = share;
      if (!best) {
        if (!workerWanted() || !options.workers) return;
        startWorker(options.workers);
        continue;
      }
      const next = nextBlock(best.blockEnds.length === 0);
      if (!next) return;
      best.runner.send(next);
      best.sent += next.length;
      best.blockEnds.push(best.sent);
    }
  };
  // Runners report blobs done from inside a send (a partial clone's known-missing blobs): one distribution at a time.
  const dispatch = (): void => {
    if (stopped) return;
    if (dispatching) {
      again = true;
      return;
    }
    dispatching = true;
    try {
      do {
        again = false;
        distribute();
      } while (again);
    } catch (error) {
      fail(error as Error);
    } finally {
      dispatching = false;
    }
    if (ending && !finishing && !stopped && queueHead === queue.length && block.length === 0) finish();
  };
  const finish = (): void => {
    finishing = true;
    Promise.all(shares.map((share) => share.runner.end())).then(
      (outcomes) => resolveAll(outcomes.reduce(mergeOutcome, emptyOutcome())),
      (error: Error) => fail(error),
    );
  };

  startHere();
  return {
    request(oid: string, size?: number) {
      block.push(oid);
      if (size !== undefined) {
        sized = true;
        blockBytes += size;
        knownBytes += size;
      }
      if (block.length >= BLOCK_BLOBS || blockBytes >= BLOCK_BYTES) {
        queue.push(block);
        block = [];
        blockBytes = 0;
      }
      dispatch();
    },
    end() {
      ending = true;
      dispatch();
      return all;
    },
    abort() {
      stopped = true;
      for (const share of shares) share.runner.abort();
    },
  };
}
