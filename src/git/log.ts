import type { CommitInfo } from '../types';
import { gitOutput, streamGit } from './exec';
import { RawLogParser, RecordedLog, type RawFile } from './raw-log';
import { gitFailure, type Repository } from './repo';

const FIELD = '\x1f';
const MARK = '\x1e';
const MARK_BYTE = 0x1e;
/** A commit's fields as CommitInfo wants them, after MARK: the one commit format of every git call. */
const FORMAT = `--format=${MARK}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

/** CommitInfo from one commit's FORMAT output (MARK removed). */
function parseCommit(fields: string): CommitInfo {
  const [sha, author, email, date, message] = fields.split(FIELD);
  return { sha, author, email, date, message: message ?? '' };
}

/** One commit's CommitInfo (e.g. the head a range scan falls back to). */
export async function commitInfo(repo: Repository, sha: string): Promise<CommitInfo> {
  const out = await gitOutput(['log', '-1', '--no-show-signature', '--no-mailmap', FORMAT, sha, '--'], repo.top).catch((e) => {
    throw gitFailure(e);
  });
  return parseCommit(out.trim().slice(MARK.length));
}

/**
 * Lists commits, parents before children, each with the files it brought in: `git log --raw` names objects and
 * paths only (no patches, no blob reads), which is what makes attribution cheap. Merges are listed with `-c`: only
 * files that differ from every parent, i.e. what the merge itself wrote. Renames are not detected here (the caller
 * pairs a deleted path with an added one), so git reads no blob content.
 *
 * Each commit's header goes to `onCommit` and each file to `onFile` as git's output streams in, parsed as bytes
 * (raw-log.ts); the output is kept, so that the caller can walk it again for the few blobs it later needs.
 */
export async function recordCommitChanges(
  repo: Repository,
  revArgs: readonly string[],
  pathspecs: readonly string[],
  options: { network?: boolean },
  handlers: { onCommit(commit: CommitInfo): void; onFile(file: RawFile): void },
): Promise<RecordedLog> {
  const log = new RecordedLog(
    new RawLogParser({
      header(bytes, start, end) {
        if (isCommitHeader(bytes, start)) handlers.onCommit(parseCommit(bytes.toString('utf8', start + 1, end)));
      },
      file: handlers.onFile,
    }),
  );
  await streamGit(
    [
      'log', '--reverse', '--topo-order', '--root', '-c', '--raw', '--no-abbrev', '-z', '--no-renames',
      '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative', '--no-show-signature', '--no-mailmap', FORMAT,
      ...revArgs, '--', ...pathspecs,
    ],
    repo.top,
    (chunk) => log.write(chunk),
    { network: options.network },
  ).catch((error) => {
    throw gitFailure(error);
  });
  log.end();
  return log;
}

/** Whether a header token of a recorded listing starts a commit (a walk of it again counts commits by this). */
export function isCommitHeader(bytes: Buffer, start: number): boolean {
  return bytes[start] === MARK_BYTE;
}
