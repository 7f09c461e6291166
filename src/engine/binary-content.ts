/**
 * What the engine does with content the fragmenter calls binary (a NUL in its first 8000 bytes), which was skipped
 * whole before: an archive is opened member by member (src/archive; a finding in a member keeps the unit's key as
 * its path and the member in `member`, joined by resultOf into `dist/app.zip!config/.env`), a text member is cut
 * into fragments as a file is; images, fonts and media are skipped by their magic bytes; any other binary (and
 * binary member) is scanned by its printable strings (src/archive/binary-strings.ts), a finding there reported at
 * its byte offset. Caps and damage the archive reader names become errors of the unit (the scan is incomplete);
 * an archive format we do not open is a warning.
 *
 * Files, blobs and standard input all come here (scan-file.ts, content-reader.ts), so history, staged and diff
 * scans open archives and binaries as a working-tree scan does.
 */
import { binaryStrings, contentKind, gzipMemberName, MEMBER_SEPARATOR, readArchive, type ContentKind } from '../archive';
import type { DetectOptions } from '../detect/detect';
import { Fragmenter } from '../fragments/fragmenter';
import { UNNAMED_GZIP_MEMBER } from '../outcome';
import type { Rule, ScanOutcome } from '../types';
import { detectInto } from './decode-stage';

export interface ContentFlags {
  decode: boolean;
  archives: boolean;
  binaryStrings: boolean;
}

/** The stages a scan's options turn on (all, unless set to false). */
export function contentFlagsOf(options: DetectOptions): ContentFlags {
  const stages = options.stages ?? {};
  return { decode: stages.decode !== false, archives: stages.archives !== false, binaryStrings: stages.binaryStrings !== false };
}

/** Binary content read whole at most (a larger one is reported, not scanned): the archive reader's total cap. */
export const MAX_BINARY_BYTES = 64 * 1024 * 1024;
/** Bytes of a binary's head that say what it is: enough for every magic number (tar's is at 257). */
export const HEAD_BYTES = 4096;
/** Printable strings scanned as one fragment, joined by newlines: one detection pass per piece, not per string. */
const STRINGS_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * Whether binary content whose head is `head` is worth reading whole, given the flags and its size; when not and
 * the user should know (an archive over the cap, an archive we cannot open), the problem is recorded in `out`.
 */
export function wantsBinary(key: string, head: Buffer, size: number, flags: ContentFlags, out: ScanOutcome): boolean {
  const kind = contentKind(head);
  if (!wanted(kind, flags)) {
    if (kind.kind === 'unsupported-archive' && flags.archives) {
      out.unitProblems.push({ severity: 'warning', path: key, message: `${kind.format} archive: not opened (ms-leakscan opens gzip, zip and tar)` });
    }
    return false;
  }
  if (size > MAX_BINARY_BYTES) {
    // An archive not opened is a part of the scan not done; a large binary's strings are a best effort, as maxFileSize.
    const what = kind.kind === 'archive' ? `${kind.format} archive not opened` : 'binary file: its printable strings not scanned';
    out.unitProblems.push({ severity: kind.kind === 'archive' ? 'error' : 'warning', path: key, message: `${what}: over the ${MAX_BINARY_BYTES} bytes cap of binary content read whole` });
    return false;
  }
  return true;
}

function wanted(kind: ContentKind, flags: ContentFlags): boolean {
  if (kind.kind === 'archive') return flags.archives;
  if (kind.kind === 'other') return flags.binaryStrings;
  return false;
}

/** Binary content of unit `key`, read whole: its archive members or its printable strings, scanned into `out`. */
export function scanBinaryContent(key: string, bytes: Buffer, rules: readonly Rule[], options: DetectOptions, out: ScanOutcome): void {
  const flags = contentFlagsOf(options);
  const kind = contentKind(bytes);
  if (kind.kind === 'archive') {
    if (!flags.archives) return;
    const prefix = key + MEMBER_SEPARATOR;
    // A gzip that stores no name: its member is named after the unit's path, which a blob's key is not (resultOf names it).
    const unnamed = kind.format === 'gzip' && !(bytes[3] & 0x08) ? gzipMemberName(key, bytes) : undefined;
    const memberOf = (path: string): string | undefined => {
      if (!path.startsWith(prefix)) return undefined;
      const member = path.slice(prefix.length);
      if (unnamed === undefined || !(member === unnamed || member.startsWith(unnamed + MEMBER_SEPARATOR))) return member;
      return UNNAMED_GZIP_MEMBER + member.slice(unnamed.length);
    };
    for (const entry of readArchive(key, bytes)) {
      const member = memberOf(entry.path);
      if (entry.kind === 'problem') out.unitProblems.push({ severity: 'error', path: key, ...(member !== undefined ? { member } : {}), message: entry.message });
      else scanMember(key, member ?? entry.path, entry.bytes, rules, options, flags, out);
    }
    return;
  }
  if (kind.kind === 'other' && flags.binaryStrings) scanStrings(key, undefined, bytes, rules, options, out);
}

/** A member: text is fragmented as a file is (and counts as one); a binary member is scanned by its strings. */
function scanMember(key: string, member: string, bytes: Buffer, rules: readonly Rule[], options: DetectOptions, flags: ContentFlags, out: ScanOutcome): void {
  const fragmenter = new Fragmenter(key, (fragment) => detectInto(out, fragment, rules, options, key, { member }), { size: bytes.length });
  fragmenter.write(bytes, true);
  if (fragmenter.kind !== 'binary') {
    out.files++;
    return;
  }
  if (contentKind(bytes).kind === 'other' && flags.binaryStrings) scanStrings(key, member, bytes, rules, options, out);
}

/**
 * Printable strings of a binary, joined by newlines into pieces: string `i` of a piece is its line `i + 1`, so a
 * finding's line names the string and its column the character, hence the byte offset.
 */
function scanStrings(key: string, member: string | undefined, bytes: Buffer, rules: readonly Rule[], options: DetectOptions, out: ScanOutcome): void {
  let runs: { offset: number; width: number }[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  const NEWLINE = Buffer.from('\n');
  const flush = (): void => {
    if (runs.length === 0) return;
    const found = out.findings.length;
    detectInto(out, { path: key, bytes: Buffer.concat(parts) }, rules, options, key, { ...(member !== undefined ? { member } : {}), strings: true });
    for (let i = found; i < out.findings.length; i++) {
      const f = out.findings[i];
      const run = runs[f.startLine - 1];
      const length = f.endLine === f.startLine ? f.endColumn - f.startColumn : 0;
      out.findings[i] = { ...f, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 + length, byteOffset: run.offset + (f.startColumn - 1) * run.width };
    }
    runs = [];
    parts = [];
    size = 0;
  };
  for (const run of binaryStrings(bytes)) {
    if (size + run.bytes.length > STRINGS_PIECE_BYTES) flush();
    runs.push({ offset: run.offset, width: run.encoding === 'utf16le' ? 2 : 1 });
    parts.push(run.bytes, NEWLINE);
    size += run.bytes.length + 1;
  }
  flush();
}
