import { isUtf8 } from 'node:buffer';
import { lstatSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, UserError } from '../errors';
import { GitError, gitOutput, nulByteSplitter, streamGit } from '../git/exec';
import { describeKind } from './open-regular';
import { pathText, toReportPath } from '../paths';
import { joinRaw, walkFiles, type FsPath } from './walk';

export interface ListOptions {
  cwd: string;
  /** Scan files that .gitignore excludes too. */
  noIgnore?: boolean;
  /** A folder or file that cannot be listed: the scan goes on, and the result must say it is incomplete. */
  onError?: (error: { path: string; message: string }) => void;
}

export interface ListedFile {
  /** Absolute; for a path that is not valid UTF-8, a lossy decoding (for messages and allowPaths), and `rawPath` opens it. */
  absPath: string;
  /** Relative to cwd, forward slashes; bytes that are not UTF-8 shown as `\xNN`. */
  path: string;
  /** The path's bytes when they are not valid UTF-8. */
  rawPath?: Buffer;
}

/**
 * Files of a directory as git sees them: tracked, plus untracked ones not excluded by .gitignore,
 * .git/info/exclude or the global excludes file. Undefined when the directory is not in a git work tree.
 */
async function listWithGit(dir: string, onFile: (rel: FsPath) => void): Promise<boolean> {
  const seen = new Set<string>();
  try {
    // A repository whose core.worktree (or GIT_WORK_TREE) points elsewhere would list another folder's files, or
    // none: git must see `dir` inside its work tree, else the folder is walked as it is on disk.
    if ((await gitOutput(['rev-parse', '--is-inside-work-tree'], dir)).trim() !== 'true') return false;
    await streamGit(
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'],
      dir,
      // Records split as bytes: a name that is not valid UTF-8 stays bytes (a copy), so it can still be opened.
      nulByteSplitter((record) => {
        // A nested repository comes as "dir/"; tracked and modified files may appear twice.
        const bytes = record.at(-1) === 0x2f ? record.subarray(0, -1) : record;
        const rel: FsPath = isUtf8(bytes) ? bytes.toString('utf8') : Buffer.from(bytes);
        const key = typeof rel === 'string' ? rel : `\0${rel.toString('latin1')}`;
        if (seen.has(key)) return;
        seen.add(key);
        onFile(rel);
      }),
    );
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // Judge by all of git's stderr: a warning (an unreadable ~/.gitconfig, say) can come before the fatal line.
    const said = `${error.message}\n${error.stderr}`;
    if (/not a git repository|could not run git|cannot chdir/i.test(said)) return false; // (cannot chdir: a core.worktree that is not there)
    if (/dubious ownership/i.test(said)) {
      throw new UserError(
        `${dir}: git refuses to list this repository because another user owns it — run ms-leakscan as its owner, ` +
          `mark it safe with "git config --global --add safe.directory ${dir}", or scan every file with --no-ignore`,
      );
    }
    throw error;
  }
  return true;
}

/**
 * Every file under `paths`: dotfiles included, `.git/` never, .gitignore respected inside a git work tree
 * unless `noIgnore`. Symbolic links are not followed (their targets inside the tree are scanned as themselves).
 * An explicitly named file is scanned even when ignored. A repository nested in the tree (a clone inside a
 * clone, a submodule's work tree) is listed by its own git, with its own ignore rules.
 */
/** Files git listed (already checked to be regular files), or a folder to walk as the scan pulls its files. */
type Plan = { kind: 'files'; abs: FsPath[] } | { kind: 'walk'; abs: FsPath };

/**
 * Those files, produced as they are pulled: inputs are checked and git is asked up front, but
 * folders outside git are walked only as the scan takes their files, so scanning starts at once and the whole
 * list of a large tree is never held.
 */
export async function fileSource(paths: readonly string[], options: ListOptions): Promise<Iterable<ListedFile>> {
  const plans: Plan[] = [];
  for (const input of paths) {
    const absInput = path.resolve(options.cwd, input);
    const stat = await lstat(absInput).catch(() => undefined);
    if (!stat) throw new UserError(`path not found: ${input} — check the path, or run from the folder that holds it`);
    if (stat.isFile()) plans.push({ kind: 'files', abs: [absInput] });
    else if (stat.isDirectory()) await planDirectory(absInput, options, plans);
    else {
      // Named on purpose and not scanned: say so (exit 2) rather than report "0 files", clean.
      throw new UserError(`${input}: is ${describeKind(stat)}, which ms-leakscan does not scan — name the file or folder itself`);
    }
  }
  return produceFiles(plans, options, paths.length > 1);
}

/** lstat, with "gone" as undefined and any other failure (a folder we may not enter) reported. Synchronous: one cheap syscall, ten times faster than a promise per file. */
function lstatOrReport(abs: FsPath, options: ListOptions): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.({ path: reportPath(options.cwd, abs), message: describeError(error) });
    return undefined;
  }
}

async function planDirectory(absDir: string, options: ListOptions, plans: Plan[]): Promise<void> {
  if (!options.noIgnore) {
    const records: FsPath[] = [];
    if (await listWithGit(absDir, (rel) => records.push(rel))) {
      const files: FsPath[] = [];
      plans.push({ kind: 'files', abs: files });
      for (const rel of records) {
        const abs = typeof rel === 'string' ? path.join(absDir, rel) : joinRaw(absDir, rel);
        if (isUnderGitDir(abs)) continue;
        const st = lstatOrReport(abs, options);
        if (st?.isFile()) files.push(abs);
        else if (st?.isDirectory()) {
          // A nested repository or submodule; one whose name is not UTF-8 is walked (git needs a string cwd).
          if (typeof abs === 'string') await planDirectory(abs, options, plans);
          else plans.push({ kind: 'walk', abs });
        }
        // deleted-but-tracked files and links are skipped
      }
      return;
    }
  }
  plans.push({ kind: 'walk', abs: absDir });
}

function* produceFiles(plans: readonly Plan[], options: ListOptions, overlapping: boolean): Generator<ListedFile> {
  // Overlapping inputs (`. src`) must not scan a file twice; a single input cannot repeat one.
  const emitted = overlapping ? new Set<string>() : undefined;
  const listed = (abs: FsPath): ListedFile | undefined => {
    const absPath = typeof abs === 'string' ? abs : pathText(abs);
    if (emitted?.has(absPath)) return undefined;
    emitted?.add(absPath);
    const file: ListedFile = { absPath, path: toReportPath(options.cwd, absPath) };
    if (typeof abs !== 'string') file.rawPath = abs;
    return file;
  };
  // A folder the walk cannot read or enter is reported, and the scan goes on.
  const unreadable = (abs: FsPath, error: unknown): void =>
    options.onError?.({ path: `${reportPath(options.cwd, abs)}/`, message: `${describeError(error)} — its files were not scanned` });
  for (const plan of plans) {
    for (const abs of plan.kind === 'files' ? plan.abs : walkFiles(plan.abs, unreadable)) {
      const file = listed(abs);
      if (file) yield file;
    }
  }
}

const GIT_DIR_SEGMENT = `${path.sep}.git${path.sep}`;

function isUnderGitDir(abs: FsPath): boolean {
  return `${path.sep}${typeof abs === 'string' ? abs : abs.toString('latin1')}${path.sep}`.includes(GIT_DIR_SEGMENT);
}

function reportPath(cwd: string, abs: FsPath): string {
  return toReportPath(cwd, typeof abs === 'string' ? abs : pathText(abs));
}

