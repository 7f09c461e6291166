import { lstatSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { GitError, nulSplitter, streamGit } from '../git/exec';
import { walkFiles } from './walk';

export interface ListOptions {
  cwd: string;
  /** Scan files that .gitignore excludes too. */
  noIgnore?: boolean;
}

export interface ListedFile {
  absPath: string;
  /** Relative to cwd, forward slashes. */
  path: string;
}

export function toReportPath(cwd: string, absPath: string): string {
  // The common case without path.relative, which costs more than the rest of listing a file.
  const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  if (absPath.startsWith(prefix) && !absPath.includes(`${path.sep}..`)) {
    const inside = absPath.slice(prefix.length);
    return path.sep === '/' ? inside : inside.split(path.sep).join('/');
  }
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
        if (record.endsWith('/') || seen.has(record)) return; // nested repositories; tracked and modified files appear once each
        seen.add(record);
        onFile(record);
      }),
    );
  } catch (error) {
    if (error instanceof GitError && /not a git repository|could not run git/i.test(error.message)) return false;
    throw error;
  }
  return true;
}

/**
 * Every file under `paths`: dotfiles included, `.git/` never, .gitignore respected inside a git work tree
 * unless `noIgnore`. Symbolic links are not followed (their targets inside the tree are scanned as themselves).
 * An explicitly named file is scanned even when ignored.
 */
export async function listFiles(paths: readonly string[], options: ListOptions, onFile: (file: ListedFile) => void): Promise<void> {
  for (const file of await fileSource(paths, options)) onFile(file);
}

type Plan = { kind: 'file'; abs: string } | { kind: 'git'; abs: string; files: string[] } | { kind: 'walk'; abs: string };

/**
 * The same files as listFiles, produced as they are pulled: inputs are checked and git is asked up front, but
 * folders are walked and git's list checked file by file only as the scan takes them, so scanning starts at once
 * and the whole list is never held.
 */
export async function fileSource(paths: readonly string[], options: ListOptions): Promise<Iterable<ListedFile>> {
  const plans: Plan[] = [];
  for (const input of paths) {
    const absInput = path.resolve(options.cwd, input);
    const stat = await lstat(absInput).catch(() => undefined);
    if (!stat) throw new UserError(`path not found: ${input} — check the path, or run from the folder that holds it`);
    if (stat.isFile()) plans.push({ kind: 'file', abs: absInput });
    if (!stat.isDirectory()) continue;
    if (!options.noIgnore) {
      const files: string[] = [];
      if (await listWithGit(absInput, (rel) => files.push(rel))) {
        plans.push({ kind: 'git', abs: absInput, files });
        continue;
      }
    }
    plans.push({ kind: 'walk', abs: absInput });
  }
  return produceFiles(plans, options.cwd);
}

function* produceFiles(plans: readonly Plan[], cwd: string): Generator<ListedFile> {
  // Overlapping inputs (`. src`) must not scan a file twice; a single input cannot repeat one.
  const emitted = plans.length > 1 ? new Set<string>() : undefined;
  const listed = (absPath: string): ListedFile | undefined => {
    if (emitted?.has(absPath)) return undefined;
    emitted?.add(absPath);
    return { absPath, path: toReportPath(cwd, absPath) };
  };
  for (const plan of plans) {
    if (plan.kind === 'file') {
      const file = listed(plan.abs);
      if (file) yield file;
    } else if (plan.kind === 'git') {
      for (const rel of plan.files) {
        const abs = path.join(plan.abs, rel);
        if (isUnderGitDir(abs)) continue;
        // Synchronous: one cheap syscall each, ten times faster than a promise per file on 100k files.
        if (!lstatOrUndefined(abs)?.isFile()) continue; // deleted but tracked files, submodules and links are skipped
        const file = listed(abs);
        if (file) yield file;
      }
    } else {
      // Unreadable folders are skipped, as fast-glob's suppressErrors did.
      for (const abs of walkFiles(plan.abs)) {
        const file = listed(abs);
        if (file) yield file;
      }
    }
  }
}

const GIT_DIR_SEGMENT = `${path.sep}.git${path.sep}`;

function isUnderGitDir(abs: string): boolean {
  return `${path.sep}${abs}${path.sep}`.includes(GIT_DIR_SEGMENT);
}

function lstatOrUndefined(abs: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined; // gone since git listed it, or unreadable: not a file to scan
  }
}
