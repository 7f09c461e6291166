import { GitError, gitFetch, gitOutput } from './exec';
import type { Repository } from './repo';

/**
 * The remote a partial clone lazily fetches missing objects from (`extensions.partialClone`, or a remote marked
 * `promisor`), or undefined for an ordinary repository, whose missing objects are damage rather than a choice.
 */
export async function promisorRemote(repo: Repository): Promise<string | undefined> {
  const named = (await configValues(repo, ['config', '--get', 'extensions.partialClone']))[0];
  if (named) return named;
  const marked = await configValues(repo, ['config', '--get-regexp', '^remote\\..*\\.promisor$']);
  for (const line of marked) {
    const [key, value] = line.split(' ');
    if (value === 'true') return key.slice('remote.'.length, -'.promisor'.length);
  }
  return undefined;
}

async function configValues(repo: Repository, args: string[]): Promise<string[]> {
  try {
    return (await gitOutput(args, repo.top)).split('\n').filter((l) => l.length > 0);
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return []; // not set
    throw error;
  }
}

/** Options of the fetch a partial clone's lazy fetch would make: just the objects, nothing else touched. */
const FETCH_OBJECTS = ['--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--quiet'] as const;

/** The command a user runs to fetch these objects (the first few shown). */
export function fetchCommand(repo: Repository, remote: string, oids: readonly string[]): string {
  const shown = oids.slice(0, 3).join(' ') + (oids.length > 3 ? ' …' : '');
  return `git -C ${repo.top} fetch --no-tags ${remote} ${shown}`;
}

/**
 * Fetches objects from the promisor remote, in one `git fetch`: only when the user asked (`--fetch-missing`), since
 * fetching runs whatever transport the repository's config names (core.sshCommand, …). Rejects with git's reason.
 */
export async function fetchObjects(repo: Repository, remote: string, oids: readonly string[]): Promise<void> {
  await gitFetch([...FETCH_OBJECTS, '--stdin', '--end-of-options', remote], repo.top, { stdin: `${oids.join('\n')}\n` });
}
