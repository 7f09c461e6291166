import type { Budget, RawEntry } from './types';

const BLOCK = 512;

/** Whether `bytes` starts with a tar header: the `ustar` magic, or (old v7 tars) a valid header checksum. */
export function looksLikeTar(bytes: Buffer): boolean {
  if (bytes.length < BLOCK) return false;
  if (bytes.toString('latin1', 257, 262) === 'ustar') return true;
  return bytes[0] !== 0 && checksumOk(bytes, 0);
}

/**
 * Members of a tar (POSIX ustar, GNU and pax long names), header by header. Regular files only: directories,
 * links (a symlink's target is not its content) and devices are skipped. A bad header checksum ends the walk (sizes
 * after it cannot be trusted); a member that runs past the end yields what is there and says it was truncated.
 */
export function* readTar(bytes: Buffer, budget: Budget): Generator<RawEntry> {
  let longName: string | undefined;
  let paxPath: string | undefined;
  for (let at = 0; ; ) {
    if (at + BLOCK > bytes.length) {
      if (at < bytes.length) yield { kind: 'problem', message: `truncated tar: a partial header at byte ${at}` };
      return;
    }
    if (isZeroBlock(bytes, at)) return;
    if (!checksumOk(bytes, at)) {
      yield { kind: 'problem', message: `corrupt tar header at byte ${at} (bad checksum): the rest not read` };
      return;
    }
    const size = readSize(bytes, at + 124);
    if (size === undefined) {
      yield { kind: 'problem', message: `corrupt tar header at byte ${at} (bad size): the rest not read` };
      return;
    }
    const type = String.fromCharCode(bytes[at + 156] || 0x30);
    const dataStart = at + BLOCK;
    const dataEnd = Math.min(bytes.length, dataStart + size);
    const data = bytes.subarray(dataStart, dataEnd);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      paxPath = paxValue(data, 'path') ?? paxPath;
      continue;
    }
    const name = paxPath ?? longName ?? headerName(bytes, dataStart - BLOCK);
    longName = paxPath = undefined;
    if (type !== '0' && type !== '7') continue; // directories, links, devices, global pax headers
    if (size > budget.limits.maxMemberBytes) {
      yield { kind: 'problem', name, message: `not read: over the member size cap (${budget.limits.maxMemberBytes} bytes)` };
      continue;
    }
    if (budget.membersLeft <= 0) {
      yield { kind: 'problem', message: `member count cap (${budget.limits.maxMembers}) reached: the rest not read` };
      return;
    }
    budget.membersLeft--;
    if (data.length < size) {
      yield { kind: 'problem', name, message: `truncated tar: member has ${data.length} of its ${size} bytes` };
    }
    yield { kind: 'member', name, bytes: data };
  }
}

function isZeroBlock(bytes: Buffer, at: number): boolean {
  for (let i = at; i < at + BLOCK; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** The checksum field counts as eight spaces; some writers summed signed bytes, so both sums are accepted. */
function checksumOk(bytes: Buffer, at: number): boolean {
  const stored = parseInt(cString(bytes, at + 148, at + 156).trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = at; i < at + BLOCK; i++) {
    const b = i >= at + 148 && i < at + 156 ? 0x20 : bytes[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function readSize(bytes: Buffer, at: number): number | undefined {
  if (bytes[at] & 0x80) {
    let value = 0;
    for (let i = at + 1; i < at + 12; i++) value = value * 256 + bytes[i];
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = cString(bytes, at, at + 12).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function headerName(bytes: Buffer, at: number): string {
  const name = cString(bytes, at, at + 100);
  const prefix = bytes.toString('latin1', at + 257, at + 262) === 'ustar' ? cString(bytes, at + 345, at + 500) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer, from: number, to: number): string {
  const nul = bytes.indexOf(0, from);
  return bytes.toString('utf8', from, nul >= 0 && nul < to ? nul : to);
}

/** A value of a pax extended header: records `<length> <key>=<value>\n`. */
function paxValue(data: Buffer, key: string): string | undefined {
  // Lengths count bytes: read as latin1 (one character per byte), the value turned into UTF-8 at the end.
  const text = data.toString('latin1');
  let found: string | undefined;
  for (let at = 0; at < text.length; ) {
    const space = text.indexOf(' ', at);
    const length = parseInt(text.slice(at, space), 10);
    if (space < 0 || !(length > 0)) break;
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === key) found = Buffer.from(record.slice(eq + 1), 'latin1').toString('utf8');
    at += length;
  }
  return found;
}
