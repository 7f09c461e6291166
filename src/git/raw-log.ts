/**
 * A `git log --raw -z` listing read as bytes: NUL-terminated tokens, each a `--format` header, a raw record
 * (`:mode… oid… status`) or a path. Nothing is decoded until asked for, so a walk over a history of a million
 * files costs a few native `indexOf`s per file, not a string and an object each (which made the listing the
 * main thread's largest cost). The same bytes can be walked again later (RecordedLog.replay).
 */
import { pathText } from '../paths';

const NUL = 0x00;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
/** A mode field: six octal digits. */
const MODE_LENGTH = 6;

/**
 * One file of a raw record, as places in the listing's bytes: valid only during the visitor's call (the object is
 * reused). `oid()` and `path()` decode on demand.
 */
export class RawFile {
  /** The bytes holding the record (`:…`), and where its new mode and new object name are. */
  record: Buffer = Buffer.alloc(0);
  modeAt = 0;
  oidAt = 0;
  oidEnd = 0;
  /** The bytes holding the (last) path, and where. */
  pathBytes: Buffer = Buffer.alloc(0);
  pathAt = 0;
  pathEnd = 0;

  /** A regular file (100644 or 100755): symbolic links and submodules are not content to scan. */
  get regular(): boolean {
    const b = this.record;
    const m = this.modeAt;
    if (b[m] !== 0x31 || b[m + 1] !== 0x30 || b[m + 2] !== 0x30) return false;
    return (b[m + 3] === 0x36 && b[m + 4] === 0x34 && b[m + 5] === 0x34) || (b[m + 3] === 0x37 && b[m + 4] === 0x35 && b[m + 5] === 0x35);
  }

  /** Deleted by the commit (new mode 000000). */
  get deleted(): boolean {
    const b = this.record;
    for (let i = this.modeAt; i < this.modeAt + MODE_LENGTH; i++) if (b[i] !== 0x30) return false;
    return true;
  }

  oid(): string {
    return this.record.toString('latin1', this.oidAt, this.oidEnd);
  }

  path(): string {
    return decodePath(this.pathBytes, this.pathAt, this.pathEnd);
  }
}

/** A path of the listing, taken verbatim, as `pathText` shows every path of a scan. */
export function decodePath(bytes: Buffer, start: number, end: number): string {
  return pathText(bytes.subarray(start, end));
}

export interface RawLogVisitor {
  /** A token that is not part of a raw record: a `--format` header, bytes [start, end) of `bytes`. */
  header(bytes: Buffer, start: number, end: number): void;
  file(file: RawFile): void;
}

/**
 * Walks pieces of a listing in order. A piece must hold whole tokens (end just after a NUL, or be the last one);
 * a record and its path may sit in different pieces.
 */
export class RawLogParser {
  private readonly current = new RawFile();
  /** Paths still to come for the record being read (two for a rename or copy, of which the last counts). */
  private pathsDue = 0;

  constructor(private readonly visitor: RawLogVisitor) {}

  piece(bytes: Buffer): void {
    const end = bytes.length;
    let at = 0;
    while (at < end) {
      let nul = bytes.indexOf(NUL, at);
      if (nul < 0) nul = end;
      if (this.pathsDue > 0) {
        const f = this.current;
        f.pathBytes = bytes;
        f.pathAt = at;
        f.pathEnd = nul;
        if (--this.pathsDue === 0) this.visitor.file(f);
      } else {
        const start = bytes[at] === NEWLINE ? at + 1 : at;
        if (start < nul) {
          if (bytes[start] === COLON) this.record(bytes, start, nul);
          else this.visitor.header(bytes, start, nul);
        }
      }
      at = nul + 1;
    }
  }

  /**
   * `:m m o o S` (or `::m m m o o o SS` for a merge of two, with `-c`): the last mode and object are the new side.
   * Modes are six digits, so only the object names' length (40 or 64) is searched for.
   */
  private record(bytes: Buffer, start: number, end: number): void {
    let colons = 0;
    while (start + colons < end && bytes[start + colons] === COLON) colons++;
    const modes = start + colons;
    const oids = modes + (MODE_LENGTH + 1) * (colons + 1);
    let space = bytes.indexOf(SPACE, oids);
    if (space < 0 || space > end) space = end;
    const oidLength = space - oids;
    const newOid = oids + (oidLength + 1) * colons;
    const status = newOid + oidLength + 1;
    const f = this.current;
    f.record = bytes;
    if (oidLength <= 0 || status >= end || bytes[status - 1] !== SPACE || bytes[oids - 1] !== SPACE) {
      // Not a record this parser knows: its path is still consumed, and nothing is regular.
      f.modeAt = f.oidAt = f.oidEnd = end;
    } else {
      f.modeAt = modes + (MODE_LENGTH + 1) * colons;
      f.oidAt = newOid;
      f.oidEnd = newOid + oidLength;
    }
    const renamed = colons === 1 && status < end && (bytes[status] === 0x52 || bytes[status] === 0x43); // R, C
    this.pathsDue = renamed ? 2 : 1;
  }
}

/**
 * Gathers git's output into pieces of whole tokens as it streams in, handing each to `parser`, and keeps them
 * for later walks (`replay`). Holds the listing's bytes (tens of MB for a large history), never strings of it.
 */
export class RecordedLog {
  private readonly pieces: Buffer[] = [];
  private rest: Buffer | undefined;

  constructor(private readonly parser: RawLogParser) {}

  write(chunk: Buffer): void {
    const last = chunk.lastIndexOf(NUL);
    if (last < 0) {
      this.rest = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
      return;
    }
    const whole = chunk.subarray(0, last + 1);
    const piece = this.rest ? Buffer.concat([this.rest, whole]) : whole;
    this.rest = last + 1 < chunk.length ? chunk.subarray(last + 1) : undefined;
    this.add(piece);
  }

  end(): void {
    if (this.rest) this.add(this.rest);
    this.rest = undefined;
  }

  /** Walks the whole listing again, from the start, with another visitor. */
  replay(visitor: RawLogVisitor): void {
    const parser = new RawLogParser(visitor);
    for (const piece of this.pieces) parser.piece(piece);
  }

  private add(piece: Buffer): void {
    this.pieces.push(piece);
    this.parser.piece(piece);
  }
}
