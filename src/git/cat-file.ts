import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError, SAFE_GIT_CONFIG, SAFE_GIT_ENV, streamGit } from './exec';

/** Receives one blob's content as it streams in. */
export interface BlobSink {
  write(chunk: Buffer): void;
  end(): void;
}

export interface BlobReader {
  /** Queues an object; its content goes to the sink `open` returns for it, in request order. */
  request(oid: string): void;
  /** No more requests: resolves when every requested object has been delivered and git has exited. */
  end(): Promise<void>;
  /** Stops git at once (the scan failed elsewhere); nothing more is delivered. */
  abort(): void;
}

export interface BlobReaderHandlers {
  /** Called when an object's content starts; return a sink, or undefined to skip it. */
  open(oid: string, size: number, type: string): BlobSink | undefined;
  /** The repository does not have the object. */
  missing(oid: string): void;
}

/**
 * Reads many objects with `git cat-file --batch` (which applies no filters or textconv): object names go in on
 * stdin, contents stream out and are handed on piece by piece, never held whole.
 */
export function openBlobReader(cwd: string, handlers: BlobReaderHandlers): BlobReader {
  const batch = catFileBatch(cwd, handlers);
  return {
    request(oid) {
      batch.child.stdin.write(`${oid}\n`);
    },
    end() {
      batch.child.stdin.end();
      return batch.done;
    },
    abort: batch.abort,
  };
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
  let rest = '';
  const onLine = (line: string): void => {
    const [type, size, oid] = line.split(' ');
    if (type !== 'blob') return;
    list.oids.push(oid);
    list.sizes.push(Number(size));
    list.bytes += Number(size);
  };
  await streamGit(['cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize) %(objectname)', '--unordered'], cwd, (chunk) => {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() as string;
    for (const line of lines) onLine(line);
  });
  if (rest) onLine(rest);
  return list;
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

export interface CatFileProcess {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  done: Promise<void>;
  abort(): void;
}

/**
 * One `git cat-file --batch` process whose output goes, object by object, to the handlers. With `assembleUpTo`,
 * an object of at most that many bytes that arrives over several pieces of git's output (which writes 4 kB at a
 * time) is gathered in one reused buffer and written to its sink whole, just before `end()`: no copies and no
 * garbage per piece. Such a sink must not keep the buffer after `end()` returns.
 */
export function catFileBatch(cwd: string, handlers: BlobReaderHandlers, options: { assembleUpTo?: number } = {}): CatFileProcess {
  const child = spawn('git', [...SAFE_GIT_CONFIG, 'cat-file', '--batch', '--buffer'], {
    cwd,
    env: { ...process.env, ...SAFE_GIT_ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let header = '';
  let sink: BlobSink | undefined;
  let remaining = -1; // body bytes still to come; -1 while reading a header
  let trailer = false; // the newline after a body
  let failure: Error | undefined;
  let assembly: Buffer | undefined;
  let assembled = -1; // bytes gathered in `assembly`; -1 when the current object is not gathered

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
          continue;
        }
        remaining = Number(size);
        sink = handlers.open(oid, remaining, type);
        if (sink && options.assembleUpTo !== undefined && remaining > chunk.length - at && remaining <= options.assembleUpTo) {
          if (!assembly || assembly.length < remaining) assembly = Buffer.allocUnsafe(Math.max(remaining, Math.min(options.assembleUpTo, 1 << 20)));
          assembled = 0;
        }
        if (remaining === 0) {
          sink?.end();
          remaining = -1;
          trailer = true;
        }
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
      if (remaining === 0) {
        if (assembled >= 0 && assembly) {
          sink?.write(assembly.subarray(0, assembled));
          assembled = -1;
        }
        sink?.end();
        remaining = -1;
        trailer = true;
      }
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
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new GitError(`could not run git: ${error.message}`, null, '')));
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else {
        const first = stderr.split('\n').map((l) => l.trim()).find((l) => l) ?? `git cat-file exited with ${code}`;
        reject(new GitError(first.replace(/^(fatal|error): /, ''), code, stderr));
      }
    });
  });
  done.catch(() => undefined); // observed by end()
  return {
    child,
    done,
    abort() {
      failure ??= new Error('aborted');
      child.kill();
    },
  };
}
