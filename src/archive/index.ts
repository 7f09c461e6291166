/**
 * Archive readers and binary strings: turn one file's or blob's bytes into member fragments.
 *
 * Interface. `readArchive(path, bytes, limits?)` yields, lazily and in file order, `member`s (`path` like
 * `dist/app.zip!config/.env`, `bytes`, `depth`) and `problem`s (`path`, `message` naming the cap or the damage).
 * It never throws on hostile bytes: a bad member is a problem and the others are still read. `contentKind(bytes)`
 * says whether a file is an archive to open, media to skip, an archive format we do not open (report it), or other.
 * `binaryStrings(bytes)` (binary-strings.ts) yields printable runs of binaries with their byte offsets.
 *
 * Formats. gzip (tar.gz opens as one level: `app.tgz!etc/.env`), zip (jar, whl, apk, vsix, docx; stored and
 * deflate; ZIP64 read), tar (ustar, GNU, pax). Our own parsers on `node:zlib`, no dependency: a zip reader of the
 * central directory is small, and it lets every read be bounds-checked and every cap named. zlib's
 * `maxOutputLength` stops a bomb inside zlib, before the output is allocated.
 *
 * Caps (defaults; each reached cap is a problem naming it). Depth 2: an archive in an archive is opened, one more
 * level is reported. A member at most 16 MiB and a top-level archive at most 64 MiB uncompressed, every level
 * counted; a ratio over 100:1 for a member past 1 MiB is a bomb; at most 10,000 members. Work is linear in the bytes
 * produced, so the bound on work is the total cap. Memory: the input, plus one decompressed member per level (for a
 * tar.gz, the whole tar, within the total cap).
 * Member names are names only (never paths to write): `..` and control characters are kept for the reporter to escape.
 */
import path from 'node:path';
import { inflateCapped } from './inflate';
import { contentKind } from './magic';
import { looksLikeTar, readTar } from './tar';
import type { ArchiveEntry, ArchiveFormat, ArchiveLimits, Budget, RawEntry } from './types';
import { readZip } from './zip';

export type { ArchiveEntry, ArchiveFormat, ArchiveLimits, ArchiveMember, ArchiveProblem } from './types';
export { contentKind, type ContentKind } from './magic';
export { binaryStrings, type BinaryString } from './binary-strings';

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 2,
  maxMemberBytes: 16 * MiB,
  maxTotalBytes: 64 * MiB,
  maxRatio: 100,
  maxMembers: 10_000,
};

/** Separates an archive's path from a member's: `dist/app.zip!config/.env`. */
export const MEMBER_SEPARATOR = '!';

export function* readArchive(archivePath: string, bytes: Buffer, limits: Partial<ArchiveLimits> = {}): Generator<ArchiveEntry> {
  const full = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const budget: Budget = { limits: full, bytesLeft: full.maxTotalBytes, membersLeft: full.maxMembers };
  const kind = contentKind(bytes);
  if (kind.kind !== 'archive') {
    yield { kind: 'problem', path: archivePath, message: 'not an archive (gzip, zip or tar): not opened' };
    return;
  }
  yield* openLevel(archivePath, bytes, kind.format, 1, budget);
}

function* openLevel(archivePath: string, bytes: Buffer, format: ArchiveFormat, depth: number, budget: Budget): Generator<ArchiveEntry> {
  for (const raw of rawEntries(archivePath, bytes, format, budget)) {
    if (raw.kind === 'problem') {
      yield { kind: 'problem', path: raw.name === undefined ? archivePath : `${archivePath}${MEMBER_SEPARATOR}${raw.name}`, message: raw.message };
      continue;
    }
    const memberPath = `${archivePath}${MEMBER_SEPARATOR}${raw.name}`;
    const inner = contentKind(raw.bytes);
    if (inner.kind === 'archive') {
      if (depth >= budget.limits.maxDepth) {
        yield { kind: 'problem', path: memberPath, message: `archive nested deeper than ${budget.limits.maxDepth} levels: not opened` };
      } else {
        yield* openLevel(memberPath, raw.bytes, inner.format, depth + 1, budget);
      }
      continue;
    }
    yield { kind: 'member', path: memberPath, bytes: raw.bytes, depth };
  }
}

/** One container's entries; a gzip that holds a tar is read as that tar (one level, as `tar xzf` sees it). */
function* rawEntries(archivePath: string, bytes: Buffer, format: ArchiveFormat, budget: Budget): Generator<RawEntry> {
  if (format === 'zip') return yield* readZip(bytes, budget);
  if (format === 'tar') return yield* readTar(bytes, budget);
  const inflated = inflateCapped(bytes, 'gzip', budget, false);
  if (inflated.problem) yield { kind: 'problem', message: inflated.problem };
  if (!inflated.bytes) return;
  if (looksLikeTar(inflated.bytes)) return yield* readTar(inflated.bytes, budget);
  if (inflated.bytes.length > budget.limits.maxMemberBytes) {
    yield { kind: 'problem', message: `not read: over the member size cap (${budget.limits.maxMemberBytes} bytes)` };
    return;
  }
  if (budget.membersLeft <= 0) {
    yield { kind: 'problem', message: `member count cap (${budget.limits.maxMembers}) reached: the rest not read` };
    return;
  }
  budget.membersLeft--;
  yield { kind: 'member', name: gzipMemberName(archivePath, bytes), bytes: inflated.bytes };
}

/** The name stored in the gzip header (FNAME), else the archive's own name without `.gz`. */
export function gzipMemberName(archivePath: string, bytes: Buffer): string {
  const flags = bytes.length > 3 ? bytes[3] : 0;
  if (flags & 0x08) {
    let at = 10;
    if (flags & 0x04) at = bytes.length >= 12 ? 12 + bytes.readUInt16LE(10) : bytes.length;
    const end = bytes.indexOf(0, at);
    if (at < bytes.length && end > at && end - at <= 1024) return bytes.toString('latin1', at, end);
  }
  const base = path.posix.basename(archivePath.split(MEMBER_SEPARATOR).pop() ?? archivePath);
  return base.replace(/\.(gz|gzip|z)$/i, '') || base;
}
