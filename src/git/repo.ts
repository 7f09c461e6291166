import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { GitError, gitOutput } from './exec';

/** A git work tree as the git sources need it. */
export interface Repository {
  /** Absolute path of the work tree's top folder. */
  top: string;
  /** Absolute path of the git directory (a linked worktree's own one). */
  gitDir: string;
  shallow: boolean;
  /** The caller's folder, resolved through symbolic links, for report paths. */
  cwd: string;
}

/**
 * The repository holding `cwd`, in one git call. A folder outside any repository, a bare repository or the
 * inside of `.git` is a UserError that says what to run instead.
 */
export async function openRepository(cwd: string, command: string): Promise<Repository> {
  try {
    const [shallow, gitDir, top] = (await gitOutput(['rev-parse', '--is-shallow-repository', '--absolute-git-dir', '--show-toplevel'], cwd))
      .split('\n');
    return { top, gitDir, shallow: shallow === 'true', cwd: realpathSync(cwd) };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (/not a git repository/i.test(error.message)) {
      throw new UserError(`${cwd} is not in a git repository — run ms-leakscan ${command} inside a git work tree, or scan plain files with ms-leakscan scan`);
    }
    if (/work tree/i.test(error.message)) {
      const bare = (await gitOutput(['rev-parse', '--is-bare-repository'], cwd).catch(() => '')).trim() === 'true';
      throw new UserError(
        bare
          ? `${cwd} is a bare git repository, which has no work tree or index — run ms-leakscan ${command} in a clone with a work tree (git clone ${cwd})`
          : `${cwd} is inside a .git folder — run ms-leakscan ${command} from the work tree`,
      );
    }
    throw gitFailure(error);
  }
}

/** The full object name of a commit-ish, or a UserError naming the unknown ref. */
export async function resolveCommit(repo: Repository, rev: string, option: string): Promise<string> {
  if (rev.startsWith('-')) throw new UserError(`${option} ${rev}: not a commit — give a branch, tag or commit id`);
  try {
    return (await gitOutput(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], repo.top)).trim();
  } catch (error) {
    if (error instanceof GitError) {
      throw new UserError(`${option} ${rev}: unknown commit or ref in ${repo.top} — check the name with git log --oneline ${rev}, or fetch it first`);
    }
    throw error;
  }
}

/** Turns a git failure in the middle of a scan into a one-line UserError (a damaged repository, mostly). */
export function gitFailure(error: unknown): unknown {
  if (!(error instanceof GitError)) return error;
  return new UserError(`git could not read the repository: ${error.message} — check it with git fsck, or re-clone it`);
}

/** A path git printed (relative to the top folder) as a report path: relative to the caller's folder, forward slashes. */
export function reportPath(repo: Repository, gitPath: string): string {
  if (repo.cwd === repo.top) return gitPath;
  return path.relative(repo.cwd, path.join(repo.top, gitPath)).split(path.sep).join('/');
}
