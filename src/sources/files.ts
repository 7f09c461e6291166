import type FastGlob from 'fast-glob';
import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import { describeError, UserError } from '../errors';
import { GitError, nulSplitter, streamGit } from '../git/exec';

export interface ListOptions {
  cwd: string;
  /** Scan files that .gitignore excludes too. */
  noIgnore?: boolean;
  /** A folder or file that cannot be listed: the scan goes on, and the result must say it is incomplete. */
  onError?: (error: { path: string; message: string }) => void;
}

export interface ListedFile {
  absPath: string;
  /** Relative to cwd, forward slashes. */
  path: string;
}

export function toReportPath(cwd: string, absPath: string): string {
  const rel = path.relative(cwd, absPath);
  return (rel === '' ? path.basename(absPath) : rel).split(path.sep).join('/');
}

/**
 * Files of a directory as git sees them: tracked, plus untracked ones not excluded by .gitignore,
 * .git/info/exclude or the global excludes file. Undefined when the directory is not in a git work tree.
 */
async function listWithGit(dir: string, onFile: (absPath: string) => void): Promise<boolean> {
  const seen = new Set<string>();
  try {
    await streamGit(
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'],
      dir,
      nulSplitter((record) => {
        // A nested repository comes as "dir/"; tracked and modified files may appear twice.
        const rel = record.endsWith('/') ? record.slice(0, -1) : record;
        if (seen.has(rel)) return;
        seen.add(rel);
        onFile(rel);
      }),
    );
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // Judge by all of git's stderr: a warning (an unreadable ~/.gitconfig, say) can come before the fatal line.
    const said = `${error.message}\n${error.stderr}`;
    if (/not a git repository|could not run git/i.test(said)) return false;
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
export async function listFiles(paths: readonly string[], options: ListOptions, onFile: (file: ListedFile) => void): Promise<void> {
  const emitted = new Set<string>();
  const emit = (absPath: string): void => {
    if (emitted.has(absPath)) return;
    emitted.add(absPath);
    onFile({ absPath, path: toReportPath(options.cwd, absPath) });
  };
  for (const input of paths) {
    const absInput = path.resolve(options.cwd, input);
    const stat = await lstat(absInput).catch(() => undefined);
    if (!stat) throw new UserError(`path not found: ${input} — check the path, or run from the folder that holds it`);
    if (stat.isFile()) {
      emit(absInput);
      continue;
    }
    if (stat.isDirectory()) await listDirectory(absInput, options, emit);
  }
}

/** lstat, with "gone" as undefined and any other failure (a folder we may not enter) reported. */
async function lstatOrReport(abs: string, options: ListOptions) {
  try {
    return await lstat(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.({ path: toReportPath(options.cwd, abs), message: describeError(error) });
    return undefined;
  }
}

/** A folder the walk cannot read or enter: fast-glob skips it silently, so it is checked and reported here. */
async function reportUnlistable(abs: string, options: ListOptions): Promise<void> {
  // Opening it, as the walk would (access() would judge by the real, not the effective, user).
  try {
    await (await opendir(abs)).close();
  } catch (error) {
    options.onError?.({ path: `${toReportPath(options.cwd, abs)}/`, message: `${describeError(error)} — its files were not scanned` });
  }
}

async function listDirectory(absDir: string, options: ListOptions, emit: (absPath: string) => void): Promise<void> {
  if (!options.noIgnore) {
    const records: string[] = [];
    if (await listWithGit(absDir, (rel) => records.push(rel))) {
      for (const rel of records) {
        const abs = path.join(absDir, rel);
        if (isUnderGitDir(abs)) continue;
        const st = await lstatOrReport(abs, options);
        if (st?.isFile()) emit(abs);
        else if (st?.isDirectory()) await listDirectory(abs, options, emit); // a nested repository or submodule
        // deleted-but-tracked files and links are skipped
      }
      return;
    }
  }
  await reportUnlistable(absDir, options);
  // Loaded on first use: the pre-commit path (`staged`) never walks folders and should not pay for it.
  const fg = require('fast-glob') as typeof FastGlob;
  // Folders are listed too, only to check each can be read: fast-glob's walk skips unreadable ones silently.
  const stream = fg.stream('**', {
    cwd: absDir,
    dot: true,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: false,
    ignore: ['**/.git', '**/.git/**'],
    absolute: true,
    suppressErrors: true,
  });
  for await (const entry of stream) {
    const { path: entryPath, dirent } = entry as unknown as FastGlob.Entry;
    const abs = path.normalize(entryPath);
    if (dirent.isDirectory()) {
      await reportUnlistable(abs, options);
      continue;
    }
    // The walk's own entry type is lstat's (links stay links), so no lstat per file here.
    if (dirent.isFile()) emit(abs);
  }
}

function isUnderGitDir(abs: string): boolean {
  return abs.split(path.sep).includes('.git');
}
