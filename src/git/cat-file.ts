import { spawn } from 'node:child_process';
import { GitError, SAFE_GIT_CONFIG, SAFE_GIT_ENV } from './exec';

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
 * One `git cat-file --batch` process reading many objects: object names go in on stdin, contents stream out
 * and are handed on piece by piece, never held whole. `cat-file --batch` applies no filters or textconv.
 * With `allObjects`, git reads every object of the repository in pack order instead (no requests): the
 * fastest way through a whole history, since deltas are resolved in the order they are stored.
 */
export function openBlobReader(cwd: string, handlers: BlobReaderHandlers, options: { allObjects?: boolean } = {}): BlobReader {
  const mode = options.allObjects ? ['--batch-all-objects', '--batch', '--unordered', '--buffer'] : ['--batch', '--buffer'];
  const child = spawn('git', [...SAFE_GIT_CONFIG, 'cat-file', ...mode], {
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
        if (remaining === 0) {
          sink?.end();
          remaining = -1;
          trailer = true;
        }
        continue;
      }
      const take = Math.min(remaining, chunk.length - at);
      sink?.write(chunk.subarray(at, at + take));
      at += take;
      remaining -= take;
      if (remaining === 0) {
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
    request(oid) {
      if (!options.allObjects) child.stdin.write(`${oid}\n`);
    },
    end() {
      child.stdin.end();
      return done;
    },
    abort() {
      failure ??= new Error('aborted');
      child.kill();
    },
  };
}
