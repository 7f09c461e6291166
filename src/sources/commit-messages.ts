import { streamCommitMessages } from '../git/messages';
import type { Repository } from '../git/repo';
import { emptyOutcome, mergeOutcome } from '../outcome';
import type { ScanOutcome, Scanner, ShardSpec, Source } from '../types';

/**
 * Commit messages as a source of `history` and `diff` (and so of the Action's pull-request and push scans): a key
 * pasted into a message is as public as one in a file. This is its own Source, composed into those two by
 * `withCommitMessages`, and its messages go through the scanner like any file's bytes, so allowlists, inline allow
 * comments, redaction, the baseline and any stage the engine runs apply unchanged. A finding in a message has no
 * path: `path` is empty, `commitMessage` is set, `commit` names the commit, and the line and column are the
 * message's (line 1 is the subject).
 */

/** Bytes of one message scanned at most (one fragmenter piece): git takes a message of any size, a hostile one may be huge. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** The unit key of a message while the engine scans it; warnings about the unit (a cut line, a budget stop) show it. */
function messageLabel(sha: string): string {
  return `message of commit ${sha}`;
}

/** The messages of the commits `revArgs` selects, scanned as units of their own. */
export function commitMessagesScan(repo: Repository, revArgs: readonly string[]): Source {
  return { scan: (scanner) => scanMessagesWith(repo, revArgs, scanner) };
}

async function scanMessagesWith(repo: Repository, revArgs: readonly string[], scanner: Scanner): Promise<ScanOutcome> {
  const out = emptyOutcome();
  const cut: string[] = [];
  // Messages are scanned in order as they arrive: scanner.bytes on bytes in memory settles in microtasks, so the
  // queue is drained before git's next chunk and holds at most one chunk's messages.
  let scanning = Promise.resolve();
  await streamCommitMessages(repo, revArgs, MAX_MESSAGE_BYTES, (message) => {
    if (message.cut > 0) cut.push(message.sha);
    if (message.bytes.length === 0) return;
    scanning = scanning.then(async () => {
      const label = messageLabel(message.sha);
      try {
        const scanned = await scanner.bytes(label, [message.bytes]);
        if (scanned.findings.length > 0) {
          const commit = message.commit();
          for (const finding of scanned.findings) Object.assign(finding, { path: '', commit, commitMessage: true });
        }
        mergeOutcome(out, scanned);
      } catch (error) {
        out.errors.push({ path: label, message: (error as Error).message });
      }
    });
  });
  await scanning;
  // A message is not a file: the summary's "in N files (size)" stays the count of files and blobs.
  out.files = 0;
  out.bytes = 0;
  if (cut.length) {
    const shown = cut.slice(0, 5).map((sha) => sha.slice(0, 12)).join(', ') + (cut.length > 5 ? `, and ${cut.length - 5} more` : '');
    out.warnings.push(`${cut.length} commit message(s) longer than ${MAX_MESSAGE_BYTES / (1024 * 1024)} MB scanned up to that size only (${shown}): a key past that point can be missed`);
  }
  return out;
}

export interface CommitMessageOptions {
  /** false with --no-commit-messages. */
  enabled?: boolean;
  /** `history --shard K/N`: the messages are the first shard's only, so merged shards report each key once. */
  shard?: ShardSpec;
}

/**
 * `source` (history or diff) with the messages of the commits `revArgs` selects: the one way both sources scan
 * messages. The two run side by side and their outcomes merge; the source's own outcome (its shard part) is kept.
 */
export function withCommitMessages(source: Source, repo: Repository, revArgs: readonly string[], options: CommitMessageOptions = {}): Source {
  if (options.enabled === false || (options.shard && options.shard.index !== 1)) return source;
  const messages = commitMessagesScan(repo, revArgs);
  return {
    async scan(scanner) {
      // Side by side; when both fail (a revision git refuses), the source's own error is the one reported.
      const [files, inMessages] = await Promise.allSettled([source.scan(scanner), messages.scan(scanner)]);
      if (files.status === 'rejected') throw files.reason;
      if (inMessages.status === 'rejected') throw inMessages.reason;
      return mergeOutcome(files.value, inMessages.value);
    },
  };
}
