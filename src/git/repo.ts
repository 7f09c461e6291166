import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { environmentNote, GitError, gitOutput } from './exec';

/** A git repository as the git sources need it. */
export interface Repository {
  /** Absolute path of the work tree's top folder; the git directory itself for a bare repository. */
  top: string;
  /** Absolute path of the git directory (a linked worktree's own one). */
  gitDir: string;
  shallow: boolean;
  /** A bare repository (a mirror on a server): objects and refs only, no work tree or index. */
  bare: boolean;
  /** The caller's folder, resolved through symbolic links, for report paths (the top folder of a bare repository). */
  cwd: string;
}

/** Commands that read only commits and blobs, never a work tree or index: they run in a bare repository too. */
const BARE_COMMANDS = new Set(['history']);

/**
 * The repository holding `cwd`, in one git call. A folder outside any repository, the inside of `.git`, or a bare
 * repository for a command that needs a work tree is a UserError that says what to run instead.
 */
export async function openRepository(cwd: string, command: string): Promise<Repository> {
  try {
    const [shallow, gitDir, top] = (await gitOutput(['rev-parse', '--is-shallow-repository', '--absolute-git-dir', '--show-toplevel'], cwd))
      .split('\n');
    // realpathSync.native: on Windows it also expands 8.3 short names (C:\Users\RUNNER~1\…, the TEMP of GitHub's
    // Windows runners), which git's --show-toplevel gives long; otherwise paths relative to the top get "../../".
    return { top, gitDir, shallow: shallow === 'true', bare: false, cwd: realpathSync.native(cwd) };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (/not a git repository/i.test(error.message)) {
      throw new UserError(`${cwd} is not in a git repository${environmentNote()} — run ms-leakscan ${command} inside a git work tree, or scan plain files with ms-leakscan scan`);
    }
    if (/work tree/i.test(error.message)) {
      const [bare, shallow, gitDir] = (await gitOutput(['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'], cwd).catch(() => ''))
        .split('\n');
      if (bare === 'true' && BARE_COMMANDS.has(command)) return { top: gitDir, gitDir, shallow: shallow === 'true', bare: true, cwd: gitDir };
      throw new UserError(
        bare === 'true'
          ? `${cwd} is a bare git repository, which has no work tree or index — run ms-leakscan ${command} in a clone with a work tree (git clone ${cwd}), or use ms-leakscan history, which reads a bare repository`
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
  const lazy = /could not fetch ([0-9a-f]{7,}) from promisor remote/.exec(error.message);
  if (lazy) {
    // A partial clone lacks an object git needs to go on (a tree of a --filter=tree:0 clone, a blob a patch needs).
    return new UserError(
      `git needs object ${lazy[1]}, which this partial clone has not downloaded, and ms-leakscan never lets git fetch on its own — ` +
        'rerun with --fetch-missing if you trust the repository (git then fetches through the transport its config names), or fetch the history first (git fetch --refetch --filter=blob:none <remote>)',
    );
  }
  if (/dubious ownership/i.test(`${error.message}\n${error.stderr}`)) return dubiousOwnership(error);
  return new UserError(`git could not read the repository: ${error.message}${environmentNote()} — check it with git fsck, or re-clone it`);
}

/** Git refuses a repository another user owns (CVE-2022-24765): say how to mark it safe. */
function dubiousOwnership(error: GitError): UserError {
  const dir = /detected dubious ownership in repository at '([^'\n]*)'/.exec(error.stderr)?.[1];
  const where = dir ?? '<the repository>';
  return new UserError(
    `git refuses to read ${where} because another user owns it — run ms-leakscan as its owner, or mark it safe with git config --global --add safe.directory ${where}`,
  );
}

/** A path git printed (relative to the top folder) as a report path: relative to the caller's folder, forward slashes. */
export function reportPath(repo: Pick<Repository, 'cwd' | 'top'>, gitPath: string, p: path.PlatformPath = path): string {
  if (repo.cwd === repo.top) return gitPath;
  // On Windows git gives the top as C:/repo and cwd is C:\repo\sub: path.relative normalises both (and ignores case).
  return p.relative(repo.cwd, p.join(repo.top, gitPath)).split(p.sep).join('/');
}
