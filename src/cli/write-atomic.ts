import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';

/**
 * Writes `text` to `target` as one step: into a new temporary file beside it (created exclusively, never through
 * a link), then renamed over it. A reader, or a second run writing the same file, sees the old file or the whole
 * new one, never a mix or a truncated report; on failure (a full disk) the temporary file is removed and the
 * target is left as it was.
 *
 * A target that is a symbolic link (or anything but a regular file) is refused, not followed: a link committed
 * under a report's name (`ms-leakscan.sarif -> ../../victim`) must not make us write outside the folder. Refusing
 * beats replacing the link: the user learns of it, and nothing they did not name is touched. Should a link appear
 * between the check and the rename, rename replaces the link itself, never its target.
 * `what` names the file in errors (`--output report.sarif`). `mode`, when given, is the file's mode (a hook's 0o755);
 * otherwise a replaced file keeps its mode and a new one gets the usual 0o666 less the umask.
 */
export function writeFileAtomic(target: string, text: string, what: string, mode?: number): void {
  let existing;
  try {
    existing = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(what, error);
  }
  if (existing?.isSymbolicLink()) {
    throw new UserError(`cannot write ${what}: it is a symbolic link, which ms-leakscan does not write through — remove the link or pick another path`);
  }
  if (existing && !existing.isFile()) {
    throw new UserError(`cannot write ${what}: it is ${existing.isDirectory() ? 'a folder' : 'not a regular file'} — pick a path to a file`);
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, existing ? existing.mode & 0o777 : 0o666);
    if (mode !== undefined) fchmodSync(fd, mode);
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    throw cannotWrite(what, error);
  }
}

/** What went wrong, in words and the errno code, and what to do (the temporary file's path means nothing to the user). */
const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'its folder does not exist (ENOENT) — create the folder or pick another path',
  ENOTDIR: 'part of its path is not a folder (ENOTDIR) — pick another path',
  EACCES: 'permission denied (EACCES) — pick a writable path',
  EPERM: 'permission denied (EPERM) — pick a writable path',
  EROFS: 'the file system is read-only (EROFS) — pick a writable path',
  ENOSPC: 'the disk is full (ENOSPC) — free some disk space or pick another disk',
  EDQUOT: 'the disk quota is exhausted (EDQUOT) — free some disk space or pick another disk',
};

function cannotWrite(what: string, error: unknown): UserError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new UserError(`cannot write ${what}: ${(code && WRITE_FAILURES[code]) ?? `${code ?? message} — pick a writable path`}`);
}
