import { StringDecoder } from 'node:string_decoder';
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
export type AddedLines = Map<string, Set<number> | 'unknown'>;

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
  let current: Set<number> | undefined;
  let rest = '';
  const decoder = new StringDecoder('utf8');
  const onLine = (line: string): void => {
    if (line.startsWith('diff --git ')) current = undefined;
    else if (line.startsWith('+++ ')) {
      const name = unquotePath(line.slice(4));
      if (name === undefined || !name.startsWith('b/')) current = undefined;
      else {
        const gitPath = name.slice(2);
        const known = added.get(gitPath);
        current = known instanceof Set ? known : new Set<number>();
        added.set(gitPath, current);
      }
    } else if (current && line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) return;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  };
  await streamGit(['diff', ...DIFF_SAFETY, '--text', '-U0', '--src-prefix=a/', '--dst-prefix=b/', ...diffArgs, '--', ...pathspecs], dir, (chunk) => {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  if (rest) onLine(rest);
  return added;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A file name from a patch header: git C-quotes names holding quotes, backslashes or control characters, and
 * appends a tab to unquoted names holding a space. Undefined for /dev/null.
 */
export function unquotePath(raw: string): string | undefined {
  if (raw === '/dev/null') return undefined;
  if (!raw.startsWith('"')) return raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  const bytes: number[] = [];
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') break;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = raw[++i];
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(raw.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
