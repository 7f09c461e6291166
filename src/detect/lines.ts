/** Byte-level line arithmetic on raw buffers, all done with native `indexOf` (no per-byte JavaScript loops). */

const NL = 0x0a;

/** Offset of the first byte of the line holding `offset`. */
export function lineStartOf(bytes: Buffer, offset: number): number {
  if (offset <= 0) return 0;
  return bytes.lastIndexOf(NL, offset - 1) + 1;
}

/** Offset of the newline ending the line holding `offset` (or the buffer's length). */
export function lineEndOf(bytes: Buffer, offset: number): number {
  const end = bytes.indexOf(NL, offset);
  return end < 0 ? bytes.length : end;
}

/** Start of the line `n` lines above the one holding `offset`. */
export function linesBefore(bytes: Buffer, offset: number, n: number): number {
  let start = lineStartOf(bytes, offset);
  for (let i = 0; i < n && start > 0; i++) start = lineStartOf(bytes, start - 1);
  return start;
}

/** End of the line `n` lines below the one holding `offset`. */
export function linesAfter(bytes: Buffer, offset: number, n: number): number {
  let end = lineEndOf(bytes, offset);
  for (let i = 0; i < n && end < bytes.length; i++) end = lineEndOf(bytes, end + 1);
  return end;
}

/** Moves `offset` forward past UTF-8 continuation bytes, so a slice never starts mid-character. */
export function alignToCharStart(bytes: Buffer, offset: number): number {
  let i = offset;
  while (i < bytes.length && (bytes[i] & 0xc0) === 0x80 && i - offset < 4) i++;
  return i;
}

/** Number of newline bytes in `bytes`. */
export function countNewlines(bytes: Buffer, from = 0, to = bytes.length): number {
  // Searched within [from, to) only: indexOf on the whole buffer ran on to its end when no newline was left,
  // once per finding on a one-line file (quadratic: 32 s for 10 MB of AccessKey IDs).
  const view = from === 0 && to === bytes.length ? bytes : bytes.subarray(Math.max(0, from), Math.max(from, to));
  let n = 0;
  for (let at = view.indexOf(NL); at >= 0; at = view.indexOf(NL, at + 1)) n++;
  return n;
}

/**
 * Turns ascending byte offsets into 1-based lines and columns by counting on from the last position, so a
 * file with many findings is walked once — also when they all sit on one 5 MB minified line.
 */
export class LineCounter {
  private offset = 0;
  private line: number;
  /** 1-based column (UTF-16 code units) of `offset` on its line. */
  private column = 1;

  constructor(
    private readonly bytes: Buffer,
    private readonly firstLine = 1,
  ) {
    this.line = firstLine;
  }

  lineAt(offset: number): number {
    return this.positionAt(offset).line;
  }

  positionAt(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = this.firstLine;
      this.column = 1;
    }
    const newlines = countNewlines(this.bytes, this.offset, offset);
    if (newlines > 0) {
      this.line += newlines;
      // The last newline before `offset` lies after the previous position: a bounded search.
      const lineStart = this.bytes.lastIndexOf(NL, offset - 1) + 1;
      this.column = 1 + this.bytes.toString('utf8', lineStart, offset).length;
    } else {
      this.column += this.bytes.toString('utf8', this.offset, offset).length;
    }
    this.offset = offset;
    return { line: this.line, column: this.column };
  }
}

/** The line holding a secret and the lines around it, as byte offsets. */
export interface LinesAround {
  /** First byte of the secret's line, and the newline ending it (or the buffer's end). */
  lineStart: number;
  lineEnd: number;
  /** Starts of the 1st, 2nd, … line above (as many as exist, at most the number asked for). */
  above: number[];
  /** Ends of the 1st, 2nd, … line below. */
  below: number[];
}

/**
 * Lines around ascending offsets, each line's ends searched once: on a 10 MB one-line file, asking
 * `lineStartOf` for every one of 100,000 candidates scanned the whole line each time (quadratic).
 * The answer for the current line is kept, so candidates on one line share it.
 */
export class LineCursor {
  private current: LinesAround | undefined;

  constructor(
    private readonly bytes: Buffer,
    private readonly around: number,
  ) {}

  /** Lines around the line that holds `offset`. */
  at(offset: number): LinesAround {
    const cur = this.current;
    if (cur && offset >= cur.lineStart && offset <= cur.lineEnd) return cur;
    const { bytes } = this;
    // Moving forward, the search back stops at the latest at the newline that ended the line last seen.
    const lineStart = lineStartOf(bytes, offset);
    const lineEnd = lineEndOf(bytes, offset);
    const above: number[] = [];
    for (let start = lineStart; above.length < this.around && start > 0; ) {
      start = lineStartOf(bytes, start - 1);
      above.push(start);
    }
    const below: number[] = [];
    for (let end = lineEnd; below.length < this.around && end < bytes.length; ) {
      end = lineEndOf(bytes, end + 1);
      below.push(end);
    }
    this.current = { lineStart, lineEnd, above, below };
    return this.current;
  }
}
