import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { countNewlines } from '../detect/lines';
import type { Fragment } from '../types';

/** Bytes read at once. A file larger than this is scanned in pieces cut at line ends. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** A line may grow a piece up to this size before it is cut mid-line. */
export const MAX_PIECE_BYTES = 64 * 1024 * 1024;
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

function swapBytes(bytes: Buffer): Buffer {
  const even = bytes.length - (bytes.length % 2);
  const copy = Buffer.from(bytes.subarray(0, even));
  return copy.swap16();
}

export interface ReadOutcome {
  kind: FileKind;
  bytes: number;
  /** Set when a single line was longer than MAX_PIECE_BYTES and had to be cut. */
  cutLines: number;
}

/**
 * Reads a file piece by piece, each piece ending at a line end, and hands each to `onFragment` with its first
 * line number. Memory stays bounded by the piece size whatever the file's size. Binary files are not scanned.
 * `onFragment` must be done with `fragment.bytes` when it returns: the read buffer is reused for the next piece.
 */
export async function readFileFragments(
  absPath: string,
  relPath: string,
  onFragment: (fragment: Fragment) => void,
): Promise<ReadOutcome> {
  const handle = await open(absPath, 'r');
  try {
    // One buffer per file, sized to the file: most files are small, and an 8 MB buffer for each of them made
    // allocation and garbage collection two thirds of a 10,000-file scan. (+1: the end shows as a short read.)
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, size + 1)));
    let kind: FileKind | undefined;
    let decoder: TextDecoder | undefined;
    let carry: Buffer = Buffer.alloc(0);
    let line = 1;
    let column = 0;
    let total = 0;
    let cutLines = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      // A short read of a regular file is its end: no extra read (a syscall per file) just to be told so.
      const eof = bytesRead < buffer.length;
      let piece: Buffer = buffer.subarray(0, bytesRead);
      total += bytesRead;
      if (kind === undefined) {
        kind = sniffKind(piece);
        if (kind === 'binary') return { kind, bytes: total, cutLines };
        if (kind !== 'text') {
          // Big-endian input is byte-swapped to little-endian first; the decoder drops the BOM.
          decoder = new TextDecoder('utf-16le');
        }
        if (kind === 'text' && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf) piece = piece.subarray(3);
      }
      if (decoder) piece = utf16ToUtf8(kind === 'utf16be' ? swapBytes(piece) : piece, decoder, eof);
      const data = carry.length ? Buffer.concat([carry, piece]) : piece;
      if (eof) {
        if (data.length) onFragment({ path: relPath, bytes: data, firstLine: line, firstColumn: column });
        return { kind, bytes: total, cutLines };
      }
      let cut = data.lastIndexOf(0x0a) + 1;
      if (cut === 0 && data.length < MAX_PIECE_BYTES) {
        // A long line: read on until it ends. Copied when it is still the reused read buffer.
        carry = data === piece && !decoder ? Buffer.from(data) : data;
        continue;
      }
      if (cut === 0) {
        // A line over MAX_PIECE_BYTES: cut it at a character boundary and carry the column on.
        cut = data.length;
        while (cut > 0 && (data[cut - 1] & 0xc0) === 0x80) cut--;
        if (cut > 0 && data[cut - 1] >= 0xc0) cut--;
        cutLines++;
      }
      const fragmentBytes = data.subarray(0, cut);
      onFragment({ path: relPath, bytes: fragmentBytes, firstLine: line, firstColumn: column });
      const newlines = countNewlines(fragmentBytes);
      if (newlines > 0) {
        line += newlines;
        column = 0;
      } else {
        column += fragmentBytes.toString('utf8').length;
      }
      carry = Buffer.from(data.subarray(cut));
    }
  } finally {
    await handle.close();
  }
}
