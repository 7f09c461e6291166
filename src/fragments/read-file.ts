import { closeSync, readSync } from 'node:fs';
import { openRegularSync } from '../sources/open-regular';
import type { Fragment } from '../types';
import { CHUNK_BYTES, Fragmenter, PIECE_SIZES, type FileKind, type PieceSizes } from './fragmenter';

export { CHUNK_BYTES, cutPoint, MAX_PIECE_BYTES, PIECE_SIZES, PiecePosition, type FileKind, type PieceSizes } from './fragmenter';

export interface ReadOutcome {
  kind: FileKind;
  bytes: number;
  /** Set when a single line was longer than MAX_PIECE_BYTES and had to be cut. */
  cutLines: number;
  /** Set, to the file's size, when the file was over the size limit and not read. */
  skippedSize?: number;
}

/** Size of the read buffer for a file of `size` bytes: the file and one byte to see its end, at most a chunk. */
function bufferSizeFor(size: number): number {
  return Math.max(1, Math.min(CHUNK_BYTES, size + 1));
}

/**
 * Reads a file with blocking reads into `scratch` (reused from file to file) and hands its fragments to
 * `onFragment`, through the one Fragmenter: for worker threads, where a blocking read costs nothing but the
 * thread's own time and saves a promise per read. `onFragment` must not keep fragments.
 */
export function readFileFragmentsSync(
  absPath: string | Uint8Array,
  relPath: string,
  onFragment: (fragment: Fragment) => void,
  scratch: Buffer = Buffer.allocUnsafe(CHUNK_BYTES),
  maxFileSize?: number,
  /** Smaller pieces, for tests: `scratch` is cut to `sizes.chunk`. */
  sizes: PieceSizes = PIECE_SIZES,
): ReadOutcome {
  // Never follows a link, never blocks on a FIFO, refuses what is not a regular file: the file may have been
  // swapped since it was listed. A path that is not UTF-8 comes as bytes (a worker gets them as a Uint8Array).
  const { fd, size: fileSize } = openRegularSync(typeof absPath === 'string' ? absPath : Buffer.from(absPath.buffer, absPath.byteOffset, absPath.byteLength));
  try {
    if (maxFileSize !== undefined && fileSize > maxFileSize) return { kind: 'text', bytes: 0, cutLines: 0, skippedSize: fileSize };
    const fragmenter = new Fragmenter(relPath, onFragment, { size: fileSize, sizes, reusesInput: true });
    const size = Math.min(scratch.length, sizes.chunk, bufferSizeFor(fileSize));
    // Read up to the size at open, not to an end a file that keeps growing (a log, /proc-like files) never reaches.
    let left = fileSize;
    for (;;) {
      const want = Math.min(size, left);
      const bytesRead = want > 0 ? readSync(fd, scratch, 0, want, null) : 0;
      left -= bytesRead;
      if (!fragmenter.write(scratch.subarray(0, bytesRead), bytesRead < want || left === 0)) {
        return { kind: fragmenter.kind ?? 'text', bytes: fragmenter.bytes, cutLines: fragmenter.cutLines };
      }
    }
  } finally {
    closeSync(fd);
  }
}
