import type { CommitInfo } from '../types';
import { nulSplitter, streamGit } from './exec';
import { rawTokenParser, type RawEntry } from './raw';
import { gitFailure, type Repository } from './repo';

/** One commit of a history listing and the files it changed (against each parent, merges combined). */
export interface CommitChanges {
  commit: CommitInfo;
  entries: RawEntry[];
}

const FIELD = '\x1f';
const MARK = '\x1e';
const FORMAT = `--format=${MARK}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

/**
 * Streams commits, parents before children, each with the blobs it brought in: `git log --raw` lists object
 * names and paths only (no patches, no blob reads), which is what makes attribution cheap. Merges are listed
 * with `-c`: only files that differ from every parent, i.e. what the merge itself wrote. Renames are not
 * detected here (the caller pairs a deleted path with an added one), so git reads no blob content.
 */
export async function streamCommitChanges(
  repo: Repository,
  revArgs: readonly string[],
  pathspecs: readonly string[],
  options: { network?: boolean },
  onCommit: (changes: CommitChanges) => void,
): Promise<void> {
  let current: CommitChanges | undefined;
  const parse = rawTokenParser({
    onHeader: (token) => {
      if (!token.startsWith(MARK)) return;
      if (current) onCommit(current);
      const [sha, author, email, date, message] = token.slice(1).split(FIELD);
      current = { commit: { sha, author, email, date, message: message ?? '' }, entries: [] };
    },
    onEntry: (entry) => current?.entries.push(entry),
  });
  await streamGit(
    [
      'log', '--reverse', '--topo-order', '--root', '-c', '--raw', '--no-abbrev', '-z', '--no-renames',
      '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative', '--no-show-signature', '--no-mailmap', FORMAT,
      ...revArgs, '--', ...pathspecs,
    ],
    repo.top,
    nulSplitter(parse),
    { network: options.network },
  ).catch((error) => {
    throw gitFailure(error);
  });
  if (current) onCommit(current);
}
