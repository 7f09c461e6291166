import { pathText } from '../paths';
import { gitFailure } from './repo';
import { GitError, nulSplitter, streamGit } from './exec';
import { isRegularFile, rawTokenParser, type RawEntry } from './raw';

/**
 * Options every diff we run carries: no external diff or textconv (they run programs from the repository's
 * config), no colour, paths from the top folder whatever `diff.relative` says, `--text` so a `-diff` attribute
 * cannot hide added lines, renames found so a moved file is not all "added".
 */
const DIFF_SAFETY = ['--no-ext-diff', '--no-textconv', '--no-color', '--no-relative', '-M', '--diff-filter=ACMRT'] as const;

/** Files whose new content a diff adds: added, modified, renamed, copied, type-changed regular files. */
/** `dir` is any folder of the work tree: paths come out relative to its top folder either way. */
export async function listChangedBlobs(dir: string, diffArgs: readonly string[]): Promise<RawEntry[]> {
  const entries: RawEntry[] = [];
  const parse = rawTokenParser({
    onEntry: (entry) => {
      if (isRegularFile(entry.mode)) entries.push(entry);
    },
  });
  await streamGit(['diff', ...DIFF_SAFETY, '--raw', '-z', '--no-abbrev', ...diffArgs, '--'], dir, nulSplitter(parse)).catch((e) => {
    throw gitFailure(e);
  });
  return entries;
}

/**
 * Line numbers (1-based, in the new file) of the lines a diff adds or changes, by path from the top folder;
 * `'unknown'` for a file git could not compare (one of its versions is missing or corrupt): every line counts.
 */
export type AddedLines = Map<string, LineRanges | 'unknown'>;

/**
 * Line numbers as ranges, as hunks give them: an added file of a million lines is one range, not a million set
 * entries (which took half a second). A patch gives a file's ranges in ascending order, disjoint; any other order
 * is sorted and merged before the first lookup.
 */
export class LineRanges {
  private starts: number[] = [];
  private ends: number[] = [];
  private normal = true;

  /** Lines [start, start + count). */
  add(start: number, count: number): void {
    if (count <= 0) return;
    const n = this.starts.length;
    if (n > 0 && start < this.ends[n - 1]) this.normal = false;
    this.starts.push(start);
    this.ends.push(start + count);
  }

  /** How many lines the ranges hold (0: the change adds no line to the file). */
  get size(): number {
    if (!this.normal) this.normalize();
    let total = 0;
    for (let k = 0; k < this.starts.length; k++) total += this.ends[k] - this.starts[k];
    return total;
  }

  has(line: number): boolean {
    if (!this.normal) this.normalize();
    // The last range that starts at or before `line`.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && line < this.ends[lo - 1];
  }

  private normalize(): void {
    const order = this.starts.map((_, i) => i).sort((a, b) => this.starts[a] - this.starts[b]);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const i of order) {
      const last = ends.length - 1;
      if (last >= 0 && this.starts[i] <= ends[last]) ends[last] = Math.max(ends[last], this.ends[i]);
      else {
        starts.push(this.starts[i]);
        ends.push(this.ends[i]);
      }
    }
    this.starts = starts;
    this.ends = ends;
    this.normal = true;
  }
}

/** True when the diff adds line `line` (1-based) of `gitPath`, or could not compare that file (every line counts). */
export function isAddedLine(added: AddedLines, gitPath: string, line: number): boolean {
  const lines = added.get(gitPath);
  return lines === 'unknown' || (lines?.has(line) ?? false);
}

/** What git says when it cannot read an object a patch needs. */
const UNREADABLE_OBJECT = /unable to read|could not fetch|corrupt|bad object|invalid object|inflate|missing/i;

/**
 * Reads a zero-context patch as it streams and keeps only the hunk headers' new-side ranges. A patch needs both
 * versions of each file, so one missing or corrupt object makes git stop; then each changed file is compared on
 * its own, and the files git cannot compare are marked `'unknown'` (the caller scans them whole and records their
 * unreadable blobs), so one bad object never hides the rest of a change.
 */
export async function listAddedLines(dir: string, diffArgs: readonly string[]): Promise<AddedLines> {
  try {
    return await patchAddedLines(dir, diffArgs, []);
  } catch (error) {
    if (!(error instanceof GitError) || !UNREADABLE_OBJECT.test(`${error.message}\n${error.stderr}`)) throw gitFailure(error);
  }
  const added: AddedLines = new Map();
  for (const entry of await listChangedBlobs(dir, diffArgs)) {
    try {
      // A name that is not UTF-8 cannot be passed to git (arguments are UTF-8): every line of that file counts.
      if (entry.notUtf8) {
        added.set(entry.path, 'unknown');
        continue;
      }
      const one = await patchAddedLines(dir, diffArgs, [`:(literal)${entry.path}`]);
      for (const [gitPath, lines] of one) added.set(gitPath, lines);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      added.set(entry.path, 'unknown');
    }
  }
  return added;
}

async function patchAddedLines(dir: string, diffArgs: readonly string[], pathspecs: readonly string[]): Promise<AddedLines> {
  const added: AddedLines = new Map();
  let current: LineRanges | undefined;
  // Between a `diff --git` line and the file's first hunk. Only there is `+++ ` the new name: in a hunk it is an
  // added line that starts with `++ ` (read as a header, it ended the file's line tracking and hid the keys of its
  // later hunks). `diff --git ` and `@@ ` cannot start a hunk's line, which starts with `+`, `-`, ` ` or `\`.
  let inHeader = false;
  const onLine = (line: Buffer): void => {
    if (startsWith(line, DIFF_HEADER)) {
      current = undefined;
      inHeader = true;
    } else if (inHeader && startsWith(line, NEW_NAME)) {
      const name = unquotePath(line.subarray(NEW_NAME.length));
      if (name === undefined || !name.startsWith('b/')) current = undefined;
      else {
        const gitPath = name.slice(2);
        const known = added.get(gitPath);
        current = known instanceof LineRanges ? known : new LineRanges();
        added.set(gitPath, current);
      }
    } else if (startsWith(line, HUNK)) {
      inHeader = false;
      if (!current) return;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line.toString('latin1', 0, Math.min(line.length, 64)));
      if (!m) return;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      current.add(start, count);
    }
  };
  const lines = new HeaderLines(onLine);
  await streamGit(['diff', ...DIFF_SAFETY, '--text', '-U0', '--src-prefix=a/', '--dst-prefix=b/', ...diffArgs, '--', ...pathspecs], dir, (chunk) =>
    lines.write(chunk),
  );
  lines.end();
  return added;
}

const DIFF_HEADER = Buffer.from('diff --git ');
const NEW_NAME = Buffer.from('+++ ');
const HUNK = Buffer.from('@@ ');

function startsWith(line: Buffer, prefix: Buffer): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix[i]) return false;
  return true;
}

/**
 * The lines of a patch that say which file and which lines (`diff --git`, `+++`, `@@`), as bytes, from its chunks.
 * A line's first bytes are matched against the one header it could start (its first byte tells which); every other
 * line, the added text itself (which can be one 100 MB line, or a million short ones), is skipped from the first
 * byte that rules it out: no copy, no string, and memory holds a header line at most. (Comparing each line's first
 * 11 bytes as a Buffer took 2 µs a line, 2 s for an added file of a million lines.)
 */
export class HeaderLines {
  private parts: Buffer[] = [];
  /** The header the current line may be (known from its first byte), and how many of its bytes matched so far. */
  private prefix: Buffer | undefined;
  private matched = 0;
  /** true: the line is a header (kept whole); false: it is not (skipped); undefined: not known yet. */
  private kept: boolean | undefined;

  constructor(private readonly onLine: (line: Buffer) => void) {}

  write(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      for (let i = start; i < end && this.kept === undefined; i++) this.match(chunk[i]);
      if (this.kept !== false && end > start) this.parts.push(chunk.subarray(start, end));
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  }

  end(): void {
    this.endLine();
  }

  /** Bytes of the current line held: a header's, or the few of a line not yet known (never a skipped line's). */
  get heldBytes(): number {
    return this.parts.reduce((sum, part) => sum + part.length, 0);
  }

  private match(b: number): void {
    if (this.matched === 0) this.prefix = b === 0x64 ? DIFF_HEADER : b === 0x2b ? NEW_NAME : b === 0x40 ? HUNK : undefined;
    if (!this.prefix || this.prefix[this.matched] !== b) {
      this.kept = false;
      this.parts = [];
    } else if (++this.matched === this.prefix.length) this.kept = true;
  }

  private endLine(): void {
    // A line that ended before its header's prefix was complete is no header either.
    if (this.kept === true) this.onLine(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts));
    this.parts = [];
    this.prefix = undefined;
    this.matched = 0;
    this.kept = undefined;
  }
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
const DEV_NULL = Buffer.from('/dev/null');

/**
 * A file name from a patch header, as bytes: git C-quotes names holding quotes, backslashes or control characters
 * (`core.quotePath=false` leaves other bytes as they are) and appends a tab to unquoted names holding a space.
 * Undefined for /dev/null. The name's text is `pathText`'s, as for every path of a scan.
 */
export function unquotePath(raw: Buffer): string | undefined {
  if (raw.equals(DEV_NULL)) return undefined;
  if (raw[0] !== 0x22) return pathText(raw[raw.length - 1] === 0x09 ? raw.subarray(0, -1) : raw);
  const bytes: number[] = [];
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x22) break;
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const next = raw[++i];
    if (next >= 0x30 && next <= 0x37) {
      bytes.push(parseInt(raw.toString('latin1', i, i + 3), 8) & 0xff);
      i += 2;
    } else if (next !== undefined) bytes.push(ESCAPES[String.fromCharCode(next)] ?? next);
  }
  return pathText(Buffer.from(bytes));
}
