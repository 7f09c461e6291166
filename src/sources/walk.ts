import { isUtf8 } from 'node:buffer';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** A path as the file system gives it: a string, or its bytes when they are not valid UTF-8. */
export type FsPath = string | Buffer;

/** A decoded name holds U+FFFD when its bytes were not valid UTF-8 (or, rarely, when it really holds one). */
const REPLACEMENT = '\uFFFD';
const GIT_NAME = Buffer.from('.git');

/** `dir` joined with a name given as bytes: a string again when the bytes are UTF-8. */
export function joinRaw(dir: FsPath, name: Buffer): FsPath {
  if (typeof dir === 'string' && isUtf8(name)) return path.join(dir, name.toString('utf8'));
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.from(path.sep), name]);
}

/**
 * Every regular file under `root` (absolute paths), dotfiles included, `.git/` folders and symbolic links left out
 * (the entry types readdir reports, no stat per file). Synchronous readdir is 4x faster than fast-glob's stream
 * on a 27k-file checkout (150 ms against 660 ms); a generator, so the scan pulls files while the walk goes on
 * and the whole list is never held. An unreadable folder is passed to `onUnreadable` and skipped.
 * A name that is not valid UTF-8 cannot be opened by its decoded string (ENOENT): such entries come as bytes
 * (a second readdir of that folder only, in the 'buffer' encoding), so their keys are scanned too.
 */
export function* walkFiles(root: FsPath, onUnreadable?: (absDir: FsPath, error: unknown) => void): Generator<FsPath> {
  const stack: FsPath[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as FsPath;
    let entries: Array<{ name: string | Buffer; isDirectory(): boolean; isFile(): boolean }>;
    try {
      entries = typeof dir === 'string' ? readdirSync(dir, { withFileTypes: true }) : readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      onUnreadable?.(dir, error);
      continue;
    }
    let undecodable = false;
    for (const entry of entries) {
      if (typeof entry.name === 'string' && entry.name.includes(REPLACEMENT)) {
        undecodable = true;
        continue;
      }
      yield* visit(dir, entry, stack);
    }
    if (!undecodable) continue;
    let raw;
    try {
      raw = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      onUnreadable?.(dir, error);
      continue;
    }
    for (const entry of raw) {
      if ((entry.name as unknown as Buffer).toString('utf8').includes(REPLACEMENT)) yield* visit(dir, entry, stack);
    }
  }
}

function* visit(dir: FsPath, entry: { name: string | Buffer; isDirectory(): boolean; isFile(): boolean }, stack: FsPath[]): Generator<FsPath> {
  // The repository, or a worktree's or submodule's pointer file.
  if (entry.name === '.git' || (Buffer.isBuffer(entry.name) && entry.name.equals(GIT_NAME))) return;
  // A readdir name holds no separator and `dir` is already normal: concatenation is path.join without its cost.
  const abs = typeof entry.name === 'string' && typeof dir === 'string' ? (dir.endsWith(path.sep) ? dir + entry.name : dir + path.sep + entry.name) : joinRaw(dir, Buffer.from(entry.name));
  if (entry.isDirectory()) stack.push(abs);
  else if (entry.isFile()) yield abs;
}
