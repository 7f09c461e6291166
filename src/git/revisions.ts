import { UserError } from '../errors';
import { resolveCommit, type Repository } from './repo';

/** The options that narrow a history scan. */
export interface RevisionArgs {
  range?: string;
  sinceCommit?: string;
  branch?: string;
  /** `--fetch-missing`: let git fetch what a partial clone lacks (see HistoryScanOptions.fetchMissing). */
  fetchMissing?: boolean;
}

/** `git log` revision arguments for the options, every name checked first so a typo is a clear error. */
export async function historyRevisions(repo: Repository, args: RevisionArgs): Promise<string[]> {
  if (args.range !== undefined) {
    if (args.sinceCommit !== undefined || args.branch !== undefined) {
      throw new UserError('--range cannot be combined with --since-commit or --branch — give the range alone (A..B)');
    }
    const parts = args.range.split('..');
    if (parts.length !== 2 || parts.some((p) => p === '' || p.startsWith('.'))) {
      throw new UserError(`--range ${args.range}: expected two commits as A..B (e.g. main..feature or v1.0..HEAD)`);
    }
    const [from, to] = await Promise.all([resolveCommit(repo, parts[0], '--range'), resolveCommit(repo, parts[1], '--range')]);
    return [`^${from}`, to];
  }
  const tips = args.branch !== undefined ? [await resolveCommit(repo, args.branch, '--branch')] : ['--all'];
  if (args.sinceCommit !== undefined) return [`^${await resolveCommit(repo, args.sinceCommit, '--since-commit')}`, ...tips];
  return tips;
}
