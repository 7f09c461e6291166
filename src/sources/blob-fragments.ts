import { TextDecoder } from 'node:util';
import type { BlobSink } from '../git/cat-file';
import type { Fragment } from '../types';
import { cutPoint, PIECE_SIZES, PiecePosition, sniffKind, swapBytes, type FileKind, type PieceSizes } from './read-file';

/** Bytes git inspects for a NUL to call content binary. */
const SNIFF_BYTES = 8000;

/**
 * Turns a blob streaming out of `git cat-file` into fragments cut at line ends, the way files are read from disk:
 * binary blobs (a NUL in the first 8000 bytes) are skipped, UTF-16 is decoded, a UTF-8 BOM dropped, and memory
 * stays bounded by the piece size however large the blob.
 */
export class BlobFragmenter implements BlobSink {
  kind: FileKind | undefined;
  /** Lines longer than MAX_PIECE_BYTES that had to be cut. */
  cutLines = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private decoder: TextDecoder | undefined;
  private readonly position = new PiecePosition();
  /** Pending bytes that trigger a cut: grows past a long line so it is not copied again and again. */
  private flushAt: number;

  constructor(
    private readonly size: number,
    private readonly path: string,
    private readonly onFragment: (fragment: Fragment) => void,
    /** Smaller pieces, for tests. */
    private readonly sizes: PieceSizes = PIECE_SIZES,
  ) {
    this.flushAt = sizes.chunk;
  }

  write(chunk: Buffer): void {
    if (this.kind === 'binary') return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.kind === undefined) {
      if (this.pendingBytes < Math.min(this.size, SNIFF_BYTES)) return;
      if (this.start() === 'binary') return;
    }
    if (this.pendingBytes >= this.flushAt) this.flush(false);
  }

  end(): void {
    const kind = this.kind ?? this.start();
    if (kind !== 'binary') this.flush(true);
  }

  private start(): FileKind {
    // A blob that arrived in one piece of git's output is scanned in place, without a copy.
    const head = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.kind = sniffKind(head);
    if (this.kind === 'binary') {
      this.pending = [];
      return this.kind;
    }
    if (this.kind !== 'text') this.decoder = new TextDecoder('utf-16le');
    const bom = this.kind === 'text' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    this.pending = [bom ? head.subarray(3) : head];
    this.pendingBytes = head.length - (bom ? 3 : 0);
    return this.kind;
  }

  private flush(last: boolean): void {
    // UTF-16 blobs are rare and small: decoded whole at the end.
    if (this.decoder && !last) return;
    let data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    if (this.decoder) data = Buffer.from(this.decoder.decode(this.kind === 'utf16be' ? swapBytes(data) : data), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    if (last) {
      if (data.length) this.emit(data);
      return;
    }
    const cut = cutPoint(data, this.sizes.maxPiece);
    if (cut.at === 0) {
      this.keep(data);
      return;
    }
    if (cut.midLine) this.cutLines++;
    const piece = data.subarray(0, cut.at);
    this.emit(piece);
    this.position.advance(piece);
    this.keep(Buffer.from(data.subarray(cut.at)));
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
