import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * Flags for opening a file that may be hostile: never follow a symbolic link in its last component (ELOOP), and
 * never block (a FIFO opens at once instead of waiting for a writer; the fstat check then refuses it).
 * O_NOFOLLOW and O_NONBLOCK are 0 where the platform lacks them (Windows), which only loses the protection.
 */
export const SAFE_READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Why a path is not a regular file, in words, from the stat of what was opened. */
export function describeKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A path that is not a regular file (a link, FIFO, device), with an errno-like code for describeError. */
export class NotRegularFileError extends Error {
  readonly code: string;
  constructor(readonly kind: string) {
    super(`is ${kind}, not a regular file`);
    this.code = kind === 'a symbolic link' ? 'ELOOP' : 'ENOTREG';
  }
}

/**
 * Opens a file to read, refusing links (ELOOP from O_NOFOLLOW), FIFOs, devices and folders: the check is made
 * on what was opened (fstat), so a file swapped for a FIFO or a link after it was listed is refused, not followed.
 * The caller closes the fd; `size` is the size at open, the most the caller should read (a file that keeps
 * growing is read to that size, not without end).
 */
export function openRegularSync(file: string | Buffer): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, SAFE_READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new NotRegularFileError('a symbolic link');
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(describeKind(stat));
    return { fd, size: stat.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** A file too large for `readSmallFileSync`'s cap. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly size: number,
    readonly cap: number,
  ) {
    super(`is ${size} bytes, over the limit of ${cap}`);
  }
}

/** The whole of a small regular file (a config, a baseline) as UTF-8, opened as openRegularSync does, at most `cap` bytes. */
export function readSmallFileSync(file: string, cap: number): string {
  return readSmallFileBytesSync(file, cap).toString('utf8');
}

/** The whole of a small regular file as bytes (a commit message), opened as openRegularSync does, at most `cap` bytes. */
export function readSmallFileBytesSync(file: string, cap: number): Buffer {
  const { fd, size } = openRegularSync(file);
  try {
    if (size > cap) throw new FileTooLargeError(size, cap);
    const buffer = Buffer.allocUnsafe(size);
    let have = 0;
    while (have < size) {
      const n = readSync(fd, buffer, have, size - have, null);
      if (n === 0) break; // shrank since fstat
      have += n;
    }
    return buffer.subarray(0, have);
  } finally {
    closeSync(fd);
  }
}

/**
 * The rest of a one-line error about a file that could not be read: what it is and what to do. `hint` is the
 * advice for ordinary failures (a missing file, permissions); `real` names what should stand at the path instead.
 */
export function describeReadError(error: unknown, hint: string, real: string): string {
  if (error instanceof NotRegularFileError) {
    return `it ${error.message}, which ms-leakscan does not read — put ${real} at this path`;
  }
  if (error instanceof FileTooLargeError) return `it ${error.message} bytes — point to the right file, or shrink it`;
  const { code, message } = error as NodeJS.ErrnoException;
  return `cannot read it (${code ?? message}) — ${hint}`;
}
