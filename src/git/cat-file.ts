import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError, spawnGit, streamGit } from './exec';

/** Receives one blob's content as it streams in. */
export interface BlobSink {
  write(chunk: Buffer): void;
  end(): void;
}

export interface BlobReader {
  /** Queues an object; its content goes to the sink `open` returns for it, in request order. */
  request(oid: string): void;
  /** Queues many objects at once. */
  requestAll(oids: readonly string[]): void;
  /** No more requests: resolves when every requested object has been delivered and git has exited. */
  end(): Promise<void>;
  /** Stops git at once (the scan failed elsewhere); nothing more is delivered. */
  abort(): void;
}

export interface BlobReaderHandlers {
  /** Called when an object's content starts; return a sink, or undefined to skip it. */
  open(oid: string, size: number, type: string): BlobSink | undefined;
  /** The repository does not have the object (a partial clone's not downloaded blob, a deleted or damaged loose object). */
  missing(oid: string): void;
  /** Git failed reading the object (a corrupt pack entry); `reason` is git's one line. Its sink, if any, is not ended. */
  unreadable(oid: string, reason: string): void;
}

/**
 * Reads many objects with `git cat-file --batch` (which applies no filters or textconv): object names go in on
 * stdin, contents stream out and are handed on piece by piece, never held whole.
 */
export function openBlobReader(cwd: string, handlers: BlobReaderHandlers): BlobReader {
  return catFileBatch(cwd, handlers);
}

export interface BlobList {
  oids: string[];
  sizes: number[];
  bytes: number;
}

/**
 * Every blob of the repository (loose and packed), in pack order, with its size: no content, trees and commits
 * left out. A whole history is then read as consecutive runs of this list (splitRuns), one `cat-file --batch`
 * each — inflating is git's single-threaded bottleneck, and pack order keeps each run's delta bases at hand.
 */
export async function listBlobs(cwd: string): Promise<BlobList> {
  const list: BlobList = { oids: [], sizes: [], bytes: 0 };
  // Parsed as bytes, and only blobs' lines decoded: trees and commits are most of a repository's objects.
  const onLine = (bytes: Buffer, start: number, end: number): void => {
    if (!startsWith(bytes, start, end, BLOB_TYPE)) return;
    let at = start + BLOB_TYPE.length;
    let size = 0;
    for (; at < end && bytes[at] !== 0x20; at++) size = size * 10 + bytes[at] - 0x30;
    list.oids.push(bytes.toString('latin1', at + 1, end));
    list.sizes.push(size);
    list.bytes += size;
  };
  let rest: Buffer | undefined;
  await streamGit(['cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize) %(objectname)', '--unordered'], cwd, (chunk) => {
    const data = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
      onLine(data, start, nl);
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : undefined;
  });
  if (rest) onLine(rest, 0, rest.length);
  return list;
}

const BLOB_TYPE = Buffer.from('blob ', 'latin1');

function startsWith(bytes: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/** Consecutive runs of the list holding about the same number of bytes each (and at least one blob). */
export function splitRuns(list: BlobList, count: number): string[][] {
  const runs: string[][] = [];
  const share = list.bytes / Math.max(1, count);
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < list.oids.length; i++) {
    bytes += list.sizes[i];
    if (bytes >= share * (runs.length + 1) && runs.length < count - 1) {
      runs.push(list.oids.slice(from, i + 1));
      from = i + 1;
    }
  }
  if (from < list.oids.length || runs.length === 0) runs.push(list.oids.slice(from));
  return runs;
}

/** The most git processes one batch starts over after unreadable objects; past it the repository is too damaged to go on. */
const MAX_RESTARTS = 1000;

/** A failure of `cat-file --batch` that one object caused (a corrupt pack entry), not the repository as a whole. */
const OBJECT_FAILURE = /corrupt|inflate|unable to (read|unpack)|bad object|invalid object|missing|loose object|packed object|could not fetch/i;

/** Git stopped at an object a partial clone has not downloaded (lazy fetching being forbidden). */
const NOT_DOWNLOADED = /could not fetch [0-9a-f]+ from promisor remote/;

/** The names of every object the repository has (loose and packed). */
async function listObjects(cwd: string): Promise<Set<string>> {
  const objects = new Set<string>();
  let rest = '';
  await streamGit(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)', '--unordered'], cwd, (chunk) => {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() as string;
    for (const line of lines) objects.add(line);
  });
  if (rest) objects.add(rest);
  return objects;
}

/**
 * `git cat-file --batch` whose output goes, object by object, to the handlers. With `assembleUpTo`, an object of
 * at most that many bytes that arrives over several pieces of git's output (which writes 4 kB at a time) is
 * gathered in one reused buffer and written to its sink whole, just before `end()`: no copies and no garbage per
 * piece. Such a sink must not keep the buffer after `end()` returns.
 *
 * A missing object is reported to `missing` and git goes on. A corrupt packed object makes git exit in the middle
 * of the stream: that object goes to `unreadable` (its sink, if open, is never ended) and a new git process takes
 * the objects after it, so one damaged object never stops the reading of the rest.
 */
export function catFileBatch(cwd: string, handlers: BlobReaderHandlers, options: { assembleUpTo?: number } = {}): BlobReader & { done: Promise<void> } {
  // Objects requested and not yet delivered are queue[head..]; what a restarted git must be given again.
  let queue: string[] = [];
  let head = 0;
  let inputEnded = false;
  let aborted = false;
  let restarts = 0;
  // Objects the repository has, learnt once a partial clone turns out to lack some (see onClosed).
  let present: Set<string> | undefined;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // observed by the caller
  let running = startBatch();

  function delivered(): void {
    head++;
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  function startBatch(): BatchProcess {
    const started = runBatch(cwd, handlers, options, delivered);
    started.closed.then((outcome) => onClosed(started, outcome));
    return started;
  }

  function onClosed(batch: BatchProcess, outcome: BatchOutcome): void {
    if (aborted) return rejectDone(new Error('aborted'));
    if (outcome.failure) return rejectDone(outcome.failure);
    if (outcome.code === 0) {
      if (head >= queue.length) return resolveDone();
      return rejectDone(new GitError(`git cat-file ended before delivering ${queue.length - head} object(s)`, outcome.code, outcome.stderr));
    }
    const culprit = batch.current ?? (head < queue.length ? queue[head] : undefined);
    const said = `${outcome.message}\n${outcome.stderr}`;
    if (culprit === undefined || outcome.spawnFailed || !(said.includes(culprit) || OBJECT_FAILURE.test(said)) || restarts >= MAX_RESTARTS) {
      return rejectDone(new GitError(outcome.message, outcome.code, outcome.stderr));
    }
    restarts++;
    if (NOT_DOWNLOADED.test(said)) {
      // A partial clone, where git (lazy fetching forbidden) stops at each object it has not downloaded: learn once
      // which objects are here, and answer for the missing ones without asking git.
      handlers.missing(culprit);
      delivered();
      if (!present) {
        void listObjects(cwd).then((objects) => {
          present = objects;
          restart();
        }, rejectDone);
        return;
      }
    } else {
      handlers.unreadable(culprit, outcome.message);
      delivered();
    }
    restart();
  }

  function restart(): void {
    if (aborted) return rejectDone(new Error('aborted'));
    let rest = queue.slice(head);
    if (present) {
      const here = present;
      for (const oid of rest) if (!here.has(oid)) handlers.missing(oid);
      rest = rest.filter((oid) => here.has(oid));
    }
    queue = rest;
    head = 0;
    running = startBatch();
    if (rest.length) running.child.stdin.write(`${rest.join('\n')}\n`);
    if (inputEnded) running.child.stdin.end();
  }

  return {
    request(oid) {
      if (present && !present.has(oid)) return handlers.missing(oid);
      queue.push(oid);
      running.child.stdin.write(`${oid}\n`);
    },
    requestAll(oids) {
      const wanted: string[] = [];
      for (const oid of oids) {
        if (present && !present.has(oid)) handlers.missing(oid);
        else wanted.push(oid);
      }
      for (const oid of wanted) queue.push(oid);
      if (wanted.length) running.child.stdin.write(`${wanted.join('\n')}\n`);
    },
    end() {
      inputEnded = true;
      running.child.stdin.end();
      return done;
    },
    abort() {
      aborted = true;
      running.child.kill();
    },
    done,
  };
}

interface BatchOutcome {
  code: number | null;
  /** Git's reason, one line. */
  message: string;
  stderr: string;
  /** Git could not be started at all. */
  spawnFailed?: boolean;
  /** A handler threw. */
  failure?: Error;
}

interface BatchProcess {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** The object whose content is being delivered when git stopped, if any. */
  current?: string;
  closed: Promise<BatchOutcome>;
}

/** One `git cat-file --batch` process; `delivered` is called as each requested object has been handed on. */
function runBatch(cwd: string, handlers: BlobReaderHandlers, options: { assembleUpTo?: number }, delivered: () => void): BatchProcess {
  const child = spawnGit(['cat-file', '--batch', '--buffer'], cwd, { stdin: 'pipe' }) as ChildProcessByStdio<Writable, Readable, Readable>;
  const batch: BatchProcess = { child, closed: undefined as unknown as Promise<BatchOutcome> };
  let stderr = '';
  let header = '';
  let sink: BlobSink | undefined;
  let remaining = -1; // body bytes still to come; -1 while reading a header
  let trailer = false; // the newline after a body
  let failure: Error | undefined;
  let assembly: Buffer | undefined;
  let assembled = -1; // bytes gathered in `assembly`; -1 when the current object is not gathered

  const finishObject = (): void => {
    if (assembled >= 0 && assembly) {
      sink?.write(assembly.subarray(0, assembled));
      assembled = -1;
    }
    sink?.end();
    sink = undefined;
    remaining = -1;
    trailer = true;
    batch.current = undefined;
    delivered();
  };

  const onData = (chunk: Buffer): void => {
    let at = 0;
    while (at < chunk.length) {
      if (trailer) {
        at++;
        trailer = false;
        continue;
      }
      if (remaining < 0) {
        const nl = chunk.indexOf(0x0a, at);
        header += chunk.toString('latin1', at, nl < 0 ? chunk.length : nl);
        if (nl < 0) return;
        at = nl + 1;
        const [oid, type, size] = header.split(' ');
        header = '';
        if (type === 'missing' || type === 'ambiguous' || size === undefined) {
          handlers.missing(oid);
          delivered();
          continue;
        }
        batch.current = oid;
        remaining = Number(size);
        sink = handlers.open(oid, remaining, type);
        if (sink && options.assembleUpTo !== undefined && remaining > chunk.length - at && remaining <= options.assembleUpTo) {
          if (!assembly || assembly.length < remaining) assembly = Buffer.allocUnsafe(Math.max(remaining, Math.min(options.assembleUpTo, 1 << 20)));
          assembled = 0;
        }
        if (remaining === 0) finishObject();
        continue;
      }
      const take = Math.min(remaining, chunk.length - at);
      if (assembled >= 0 && assembly) {
        chunk.copy(assembly, assembled, at, at + take);
        assembled += take;
      } else {
        sink?.write(chunk.subarray(at, at + take));
      }
      at += take;
      remaining -= take;
      if (remaining === 0) finishObject();
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      onData(chunk);
    } catch (error) {
      failure = error as Error;
      child.kill();
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  child.stdin.on('error', () => undefined); // git died early: reported by 'close'
  batch.closed = new Promise<BatchOutcome>((resolve) => {
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      if (spawnError) resolve({ code, message: `could not run git: ${spawnError.message}`, stderr, spawnFailed: true });
      else {
        const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l);
        const first = lines.find((l) => /^fatal: /.test(l)) ?? lines[0] ?? `git cat-file exited with ${code}`;
        resolve({ code, message: first.replace(/^(fatal|error): /, ''), stderr, failure });
      }
    });
  });
  return batch;
}
