import { inflateCapped } from './inflate';
import type { Budget, RawEntry } from './types';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record is 22 bytes and may be followed by a comment of up to 65,535. */
const EOCD_SEARCH = 22 + 0xffff;

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Members of a zip (and jar, whl, apk, vsix, docx), read from the central directory, each bounds-checked against
 * the buffer. Hostile forms are reported, never thrown: overlapping members (the "overlapping files" bomb reuses one
 * compressed stream for many members), members that run past the end (truncated), encrypted members, methods other
 * than stored and deflate. ZIP64 sizes and offsets are read.
 */
export function* readZip(bytes: Buffer, budget: Budget): Generator<RawEntry> {
  let found = readCentralDirectory(bytes, budget);
  if (typeof found === 'string') {
    // A truncated zip has lost its directory, not its first members: read those from their local headers.
    const salvaged = readLocalHeaders(bytes, budget);
    found = { entries: salvaged.entries, problem: `${found.replace(': members not read', '')}: ${salvaged.problem}` };
  }
  const { entries, problem } = found;
  if (problem) yield { kind: 'problem', message: problem };
  // In file order, so a member whose data starts inside the previous one's is seen as overlapping.
  const ordered = entries.filter((e) => !e.name.endsWith('/')).sort((a, b) => a.localOffset - b.localOffset);
  let usedUpTo = 0;
  for (const entry of ordered) {
    const problemOf = (message: string): RawEntry => ({ kind: 'problem', name: entry.name, message });
    if (entry.flags & 1) {
      yield problemOf('encrypted member: not read');
      continue;
    }
    if (entry.method !== 0 && entry.method !== 8) {
      yield problemOf(`compression method ${entry.method} is not supported (stored and deflate are): not read`);
      continue;
    }
    const at = entry.localOffset;
    if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) {
      yield problemOf('no local header where the central directory points (corrupt or truncated zip): not read');
      continue;
    }
    if (at < usedUpTo) {
      yield problemOf('member overlaps the previous one (a zip bomb form): not read');
      continue;
    }
    const dataStart = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const dataEnd = dataStart + entry.compressedSize;
    usedUpTo = Math.max(usedUpTo, dataEnd);
    if (dataStart > bytes.length) {
      yield problemOf('member header runs past the end of the archive (truncated zip): not read');
      continue;
    }
    if (dataEnd > bytes.length) {
      // What is there is still read (a key in the first half of a cut file is still a key), and said to be partial.
      yield problemOf(`truncated zip: member has ${bytes.length - dataStart} of its ${entry.compressedSize} bytes`);
    }
    if (budget.membersLeft <= 0) {
      yield { kind: 'problem', message: `member count cap (${budget.limits.maxMembers}) reached: the rest not read` };
      return;
    }
    budget.membersLeft--;
    const data = bytes.subarray(dataStart, Math.min(dataEnd, bytes.length));
    if (entry.method === 0) {
      if (data.length > budget.limits.maxMemberBytes) {
        yield problemOf(`not read: over the member size cap (${budget.limits.maxMemberBytes} bytes)`);
        continue;
      }
      if (data.length > budget.bytesLeft) {
        yield problemOf(`not read: over the total uncompressed size cap (${budget.limits.maxTotalBytes} bytes)`);
        continue;
      }
      budget.bytesLeft -= data.length;
      yield { kind: 'member', name: entry.name, bytes: data };
      continue;
    }
    const inflated = inflateCapped(data, 'raw', budget, true);
    if (inflated.problem) yield problemOf(inflated.problem);
    if (!inflated.bytes) continue;
    if (!inflated.problem && dataEnd <= bytes.length && inflated.bytes.length !== entry.size) {
      yield problemOf(`declared size ${entry.size} bytes, inflated to ${inflated.bytes.length}: read as inflated`);
    }
    yield { kind: 'member', name: entry.name, bytes: inflated.bytes };
  }
}

function readCentralDirectory(bytes: Buffer, budget: Budget): { entries: CentralEntry[]; problem?: string } | string {
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - EOCD_SEARCH); at--) {
    if (bytes.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return 'no end of central directory record (truncated or not a zip): members not read';
  let count = bytes.readUInt16LE(eocd + 10);
  let offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== ZIP64_LOCATOR) return 'ZIP64 end record missing (corrupt zip): members not read';
    const record = safeNumber(bytes.readBigUInt64LE(locator + 8));
    if (record === undefined || record + 56 > bytes.length || bytes.readUInt32LE(record) !== ZIP64_EOCD) {
      return 'ZIP64 end record out of bounds (corrupt zip): members not read';
    }
    count = safeNumber(bytes.readBigUInt64LE(record + 32)) ?? Number.MAX_SAFE_INTEGER;
    offset = safeNumber(bytes.readBigUInt64LE(record + 48)) ?? bytes.length;
  }
  const entries: CentralEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (entries.length >= budget.limits.maxMembers) {
      return { entries, problem: `member count cap (${budget.limits.maxMembers}) reached: the rest not read` };
    }
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) {
      return { entries, problem: `central directory ends after ${i} of ${count} entries (corrupt zip): the rest not read` };
    }
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > bytes.length) return { entries, problem: `central directory entry ${i + 1} is truncated: the rest not read` };
    const entry: CentralEntry = {
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
    };
    readZip64Extra(bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at = next;
  }
  return { entries };
}

/**
 * Members in file order from their local headers, for a zip without its central directory. Stops at the first
 * member whose sizes are only in a data descriptor after its data (flag bit 3): its end cannot be known safely.
 */
function readLocalHeaders(bytes: Buffer, budget: Budget): { entries: CentralEntry[]; problem: string } {
  const entries: CentralEntry[] = [];
  let at = 0;
  while (at + 30 <= bytes.length && bytes.readUInt32LE(at) === LOCAL && entries.length < budget.limits.maxMembers) {
    const flags = bytes.readUInt16LE(at + 6);
    if (flags & 0x08) break;
    const nameLength = bytes.readUInt16LE(at + 26);
    const entry: CentralEntry = {
      name: bytes.toString('utf8', at + 30, Math.min(bytes.length, at + 30 + nameLength)),
      flags,
      method: bytes.readUInt16LE(at + 8),
      compressedSize: bytes.readUInt32LE(at + 18),
      size: bytes.readUInt32LE(at + 22),
      localOffset: at,
    };
    entries.push(entry);
    at += 30 + nameLength + bytes.readUInt16LE(at + 28) + entry.compressedSize;
  }
  return { entries, problem: `read ${entries.length} members from their local headers` };
}

/** ZIP64 extended information (id 1): 8-byte values for exactly the fields whose 4-byte value is 0xFFFFFFFF. */
function readZip64Extra(extra: Buffer, entry: CentralEntry): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    const end = Math.min(extra.length, at + 4 + size);
    if (id === 1) {
      let field = at + 4;
      const next = (): number => {
        const value = field + 8 <= end ? safeNumber(extra.readBigUInt64LE(field)) : undefined;
        field += 8;
        // An unreadable or huge value: past any buffer, so the bounds checks reject the member.
        return value ?? Number.MAX_SAFE_INTEGER;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
    }
    at += 4 + size;
  }
}

function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
