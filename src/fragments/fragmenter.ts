import { TextDecoder } from 'node:util';
import { countNewlines } from '../detect/lines';
import type { Fragment } from '../types';

/** Bytes read at once. A file larger than this is scanned in pieces cut at line ends. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** A line may grow a piece up to this size before it is cut mid-line. */
export const MAX_PIECE_BYTES = 64 * 1024 * 1024;
/** Piece sizes of the fragmenter: CHUNK_BYTES and MAX_PIECE_BYTES, smaller in tests (an internal option). */
export interface PieceSizes {
  /** Bytes gathered before a piece is cut at its last line end. */
  chunk: number;
  /** A line may grow a piece up to this size before it is cut mid-line. */
  maxPiece: number;
}

export const PIECE_SIZES: PieceSizes = { chunk: CHUNK_BYTES, maxPiece: MAX_PIECE_BYTES };

/** Bytes inspected for a NUL to call content binary, as git does. */
const SNIFF_BYTES = 8000;

export type FileKind = 'text' | 'utf16le' | 'utf16be' | 'binary';

/** git's heuristic: a NUL in the first 8000 bytes means binary, unless a UTF-16 byte-order mark says text. */
export function sniffKind(head: Buffer): FileKind {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const probe = head.subarray(0, SNIFF_BYTES);
  return probe.indexOf(0) >= 0 ? 'binary' : 'text';
}

/**
 * Where a piece that is not the content's end is cut: just after its last newline. 0 when it holds no newline and
 * may still grow (a long line: read on); past `maxPiece`, at its last character boundary (`midLine`).
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

/**
 * Where pieces are joined (a carried long line and what follows it): one buffer per thread (each worker loads its
 * own copy of this module), reused from piece to piece, instead of a new buffer per piece. Only a synchronous
 * flush uses it, and nothing points into it afterwards (the carried tail is copied out).
 */
const join = { buffer: Buffer.alloc(0) };

export interface FragmenterOptions {
  /** The content's size when known (a blob's, a file's): a shorter content is sniffed at its end. */
  size?: number;
  /** Smaller pieces, for tests. */
  sizes?: PieceSizes;
  /** The caller reuses the buffers it writes (a read buffer): whatever is kept past a write is copied. */
  reusesInput?: boolean;
}

/**
 * The one fragmenter, for bytes from disk, from git and from a stream: turns content handed over piece by piece into
 * fragments cut at line ends, with their first line (and column, when a line longer than `maxPiece` had to be cut).
 * Binary content (a NUL in the first 8000 bytes) is skipped, UTF-16 is decoded as it streams, a UTF-8 BOM dropped,
 * and memory stays bounded by the piece size however large the content. Content that arrives in one piece (a file
 * read whole, a blob cat-file assembled) is scanned in place, without a copy. Fragments are handed to `onFragment`
 * synchronously and may point into the caller's buffer or the shared join buffer: they must not be kept.
 */
export class Fragmenter {
  kind: FileKind | undefined;
  /** Bytes taken (before decoding). */
  bytes = 0;
  /** Lines longer than the largest piece that had to be cut. */
  cutLines = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private decoder: TextDecoder | undefined;
  /** UTF-16BE: a byte waiting for the other half of its code unit. */
  private oddByte: Buffer | undefined;
  private readonly position = new PiecePosition();
  private readonly sizes: PieceSizes;
  /** Pending bytes that trigger a cut: grows past a long line so it is not copied again and again. */
  private flushAt: number;

  constructor(
    private readonly path: string,
    private readonly onFragment: (fragment: Fragment) => void,
    private readonly options: FragmenterOptions = {},
  ) {
    this.sizes = options.sizes ?? PIECE_SIZES;
    this.flushAt = this.sizes.chunk;
  }

  /**
   * Takes the next bytes; false once nothing more is needed (binary content, or `last`). With `last`, the content
   * ends with this chunk (no end() call then), which spares a reader that reuses its buffer a copy of the last piece.
   */
  write(chunk: Buffer, last = false): boolean {
    if (this.kind === 'binary') return false;
    this.bytes += chunk.length;
    if (this.kind === undefined) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      // Sniffed once 8000 bytes (or the whole content, or a piece: only smaller in tests) have arrived.
      if (!last && this.pendingBytes < Math.min(this.options.size ?? Number.POSITIVE_INFINITY, SNIFF_BYTES, this.sizes.chunk)) return this.keepInput(chunk);
      if (this.start() === 'binary') return false;
    } else {
      this.add(chunk);
    }
    if (last) {
      this.flush(true);
      return false;
    }
    if (this.pendingBytes >= this.flushAt) this.flush(false);
    return this.keepInput(chunk);
  }

  /** The content has ended (when no write said `last`): the rest goes out as the last fragment. */
  end(): void {
    const kind = this.kind ?? this.start();
    if (kind !== 'binary') this.flush(true);
  }

  /** Decides the kind from the bytes held so far, and sets up decoding. */
  private start(): FileKind {
    // A content that arrived in one piece is kept in place, without a copy.
    const head = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.kind = sniffKind(head);
    if (this.kind === 'binary') return this.kind;
    // Big-endian input is byte-swapped to little-endian first; the decoder drops the BOM.
    if (this.kind !== 'text') this.decoder = new TextDecoder('utf-16le');
    const bom = this.kind === 'text' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    this.add(bom ? head.subarray(3) : head);
    return this.kind;
  }

  /** Holds `chunk` (decoded to UTF-8 first for UTF-16 content, so detection sees one encoding). */
  private add(chunk: Buffer): void {
    const text = this.decoder ? this.decoded(chunk, false) : chunk;
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingBytes += text.length;
  }

  private decoded(chunk: Buffer, last: boolean): Buffer {
    const decoder = this.decoder as TextDecoder;
    let units = chunk;
    if (this.kind === 'utf16be') {
      const joined = this.oddByte ? Buffer.concat([this.oddByte, chunk]) : chunk;
      const even = joined.length - (joined.length % 2);
      this.oddByte = even < joined.length ? Buffer.from(joined.subarray(even)) : undefined;
      units = Buffer.from(joined.subarray(0, even)).swap16();
    }
    return Buffer.from(decoder.decode(units, { stream: !last }), 'utf8');
  }

  /** After a write: whatever still points into a buffer the caller reuses is copied. */
  private keepInput(chunk: Buffer): boolean {
    if (!this.options.reusesInput) return true;
    this.pending = this.pending.map((held) => (held.buffer === chunk.buffer ? Buffer.from(held) : held));
    return true;
  }

  /** The pending bytes as one buffer: the single piece itself, else joined in the shared buffer. */
  private joined(): { data: Buffer; shared: boolean } {
    if (this.pending.length === 1) return { data: this.pending[0], shared: false };
    const size = this.pendingBytes;
    if (join.buffer.length < size) join.buffer = Buffer.allocUnsafe(size);
    let at = 0;
    for (const piece of this.pending) at += piece.copy(join.buffer, at);
    return { data: join.buffer.subarray(0, size), shared: true };
  }

  private flush(last: boolean): void {
    if (last && this.decoder) this.finishDecoding();
    const { data, shared } = this.joined();
    this.pending = [];
    this.pendingBytes = 0;
    if (last) {
      if (data.length) this.emit(data);
      return;
    }
    const cut = cutPoint(data, this.sizes.maxPiece);
    if (cut.at === 0) {
      // A long line: gather on until it ends.
      this.keep(shared ? Buffer.from(data) : data);
      return;
    }
    if (cut.midLine) this.cutLines++; // a line over maxPiece: the column carries on
    const piece = data.subarray(0, cut.at);
    this.emit(piece);
    this.position.advance(piece);
    this.keep(Buffer.from(data.subarray(cut.at)));
  }

  /** The decoder's last characters (a code unit cut in half is dropped, as a file's odd last byte). */
  private finishDecoding(): void {
    const rest = this.decoded(Buffer.alloc(0), true);
    if (rest.length === 0) return;
    this.pending.push(rest);
    this.pendingBytes += rest.length;
  }

  private keep(data: Buffer): void {
    this.pending = data.length ? [data] : [];
    this.pendingBytes = data.length;
    this.flushAt = data.length + this.sizes.chunk;
  }

  private emit(bytes: Buffer): void {
    this.onFragment({ path: this.path, bytes, firstLine: this.position.line, firstColumn: this.position.column });
  }
}
