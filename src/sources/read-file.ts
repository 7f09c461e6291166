import { closeSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { countNewlines } from '../detect/lines';
import type { Fragment } from '../types';
import { openRegularSync } from './open-regular';

/** Bytes read at once. A file larger than this is scanned in pieces cut at line ends. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** A line may grow a piece up to this size before it is cut mid-line. */
export const MAX_PIECE_BYTES = 64 * 1024 * 1024;
/** Piece sizes of the fragmenters: CHUNK_BYTES and MAX_PIECE_BYTES, smaller in tests (an internal option). */
export interface PieceSizes {
  /** Bytes read (files) or gathered (blobs) before a piece is cut at its last line end. */
  chunk: number;
  /** A line may grow a piece up to this size before it is cut mid-line. */
  maxPiece: number;
}

export const PIECE_SIZES: PieceSizes = { chunk: CHUNK_BYTES, maxPiece: MAX_PIECE_BYTES };

/** Bytes inspected for a NUL to call a file binary, as git does. */
const SNIFF_BYTES = 8000;

export type FileKind = 'text' | 'utf16le' | 'utf16be' | 'binary';

/** git's heuristic: a NUL in the first 8000 bytes means binary, unless a UTF-16 byte-order mark says text. */
export function sniffKind(head: Buffer): FileKind {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const probe = head.subarray(0, SNIFF_BYTES);
  return probe.indexOf(0) >= 0 ? 'binary' : 'text';
}

/** UTF-16 text as UTF-8 bytes, so the engine sees one encoding; `decoder` keeps state across pieces. */
function utf16ToUtf8(bytes: Buffer, decoder: TextDecoder, last: boolean): Buffer {
  return Buffer.from(decoder.decode(bytes, { stream: !last }), 'utf8');
}

/** UTF-16BE as UTF-16LE (a copy; an odd last byte is dropped). */
export function swapBytes(bytes: Buffer): Buffer {
  const even = bytes.length - (bytes.length % 2);
  return Buffer.from(bytes.subarray(0, even)).swap16();
}

/**
 * Where a piece that is not the file's end is cut: just after its last newline. 0 when it holds no newline and may
 * still grow (a long line: read on); past MAX_PIECE_BYTES, at its last character boundary (`midLine`).
 */
export function cutPoint(data: Buffer, maxPiece = MAX_PIECE_BYTES): { at: number; midLine: boolean } {
  const at = data.lastIndexOf(0x0a) + 1;
  if (at > 0 || data.length < maxPiece) return { at, midLine: false };
  let cut = data.length;
  while (cut > 0 && (data[cut - 1] & 0xc0) === 0x80) cut--;
  if (cut > 0 && data[cut - 1] >= 0xc0) cut--;
  return { at: cut, midLine: true };
}

/** Line and column (characters already on that line) where the next piece starts. */
export class PiecePosition {
  line = 1;
  column = 0;

  /** Moves past `piece`, which ends just after a newline or, cut mid-line, holds none. */
  advance(piece: Buffer): void {
    const newlines = countNewlines(piece);
    if (newlines > 0) {
      this.line += newlines;
      this.column = 0;
    } else {
      this.column += piece.toString('utf8').length;
    }
  }
}

export interface ReadOutcome {
  kind: FileKind;
  bytes: number;
  /** Set when a single line was longer than MAX_PIECE_BYTES and had to be cut. */
  cutLines: number;
  /** Set, to the file's size, when the file was over the size limit and not read. */
  skippedSize?: number;
}

/**
 * Turns the bytes of one file, handed over piece by piece, into fragments that end at line ends, with their
 * first line (and column, when a very long line had to be cut).
 * Fragments are handed to `onFragment` synchronously and may point into the caller's read buffer, so a caller
 * can reuse that buffer for the next piece; the carried-over tail is always copied.
 */
export class FragmentAssembler {
  kind: FileKind | undefined;
  bytes = 0;
  cutLines = 0;
  private decoder: TextDecoder | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private readonly position = new PiecePosition();

  constructor(
    private readonly relPath: string,
    private readonly onFragment: (fragment: Fragment) => void,
    /** Where the carried line and the next piece are joined: a buffer reused from piece to piece. */
    private readonly join: { buffer: Buffer },
    private readonly maxPiece = MAX_PIECE_BYTES,
  ) {}

  /** The carried-over line followed by `piece`. */
  private joined(piece: Buffer): Buffer {
    const size = this.carry.length + piece.length;
    if (this.join.buffer.length < size) this.join.buffer = Buffer.allocUnsafe(size);
    this.carry.copy(this.join.buffer, 0);
    piece.copy(this.join.buffer, this.carry.length);
    return this.join.buffer.subarray(0, size);
  }

  /** Takes the next piece (empty at the end of the file); false once nothing more needs to be read. */
  push(input: Buffer, eof: boolean): boolean {
    let piece = input;
    this.bytes += piece.length;
    if (this.kind === undefined) {
      this.kind = sniffKind(piece);
      if (this.kind === 'binary') return false;
      // Big-endian input is byte-swapped to little-endian first; the decoder drops the BOM.
      if (this.kind !== 'text') this.decoder = new TextDecoder('utf-16le');
      if (this.kind === 'text' && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf) piece = piece.subarray(3);
    }
    if (this.decoder) piece = utf16ToUtf8(this.kind === 'utf16be' ? swapBytes(piece) : piece, this.decoder, eof);
    const data = this.carry.length ? this.joined(piece) : piece;
    if (eof) {
      if (data.length) this.onFragment({ path: this.relPath, bytes: data, firstLine: this.position.line, firstColumn: this.position.column });
      return false;
    }
    const cut = cutPoint(data, this.maxPiece);
    if (cut.at === 0) {
      // A long line: read on until it ends. Copied: it lives in a buffer the next read reuses.
      this.carry = Buffer.from(data);
      return true;
    }
    if (cut.midLine) this.cutLines++; // a line over MAX_PIECE_BYTES: the column carries on
    const fragmentBytes = data.subarray(0, cut.at);
    this.onFragment({ path: this.relPath, bytes: fragmentBytes, firstLine: this.position.line, firstColumn: this.position.column });
    this.position.advance(fragmentBytes);
    this.carry = Buffer.from(data.subarray(cut.at));
    return true;
  }

  outcome(): ReadOutcome {
    return { kind: this.kind ?? 'text', bytes: this.bytes, cutLines: this.cutLines };
  }
}

/** Size of the read buffer for a file of `size` bytes: the file and one byte to see its end, at most a chunk. */
function bufferSizeFor(size: number): number {
  return Math.max(1, Math.min(CHUNK_BYTES, size + 1));
}

/**
 * Where the synchronous reader joins a carried line with the next piece: one buffer per thread (each worker
 * loads its own copy of this module), reused from piece to piece, instead of a new 8 MB buffer per piece.
 */
const syncJoin = { buffer: Buffer.alloc(0) };

/**
 * The same, synchronously, reading into `scratch` (reused from file to file): for worker threads, where a blocking
 * read costs nothing but the thread's own time and saves a promise per read. `onFragment` must not keep fragments.
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
    const assembler = new FragmentAssembler(relPath, onFragment, syncJoin, sizes.maxPiece);
    const size = Math.min(scratch.length, sizes.chunk, bufferSizeFor(fileSize));
    // Read up to the size at open, not to an end a file that keeps growing (a log, /proc-like files) never reaches.
    let left = fileSize;
    for (;;) {
      const want = Math.min(size, left);
      const bytesRead = want > 0 ? readSync(fd, scratch, 0, want, null) : 0;
      left -= bytesRead;
      if (!assembler.push(scratch.subarray(0, bytesRead), bytesRead < want || left === 0)) return assembler.outcome();
    }
  } finally {
    closeSync(fd);
  }
}
