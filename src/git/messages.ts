import type { CommitInfo } from '../types';
import { streamGit } from './exec';
import { gitFailure, type Repository } from './repo';

/** One commit's message as git prints it (`%B`: subject and body, as written), raw bytes. */
export interface CommitMessage {
  sha: string;
  /** The message's bytes, up to `maxBytes`; a message can be any size and any encoding a commit names. */
  bytes: Buffer;
  /** Bytes left out past `maxBytes` (0 for all but a hostile or absurd message). */
  cut: number;
  /** The commit's author, date and subject, decoded only when asked (for the few messages that hold a key). */
  commit(): CommitInfo;
}

/** Lines before the message: %H, %an, %ae, %aI, %s — none can hold a newline (git writes idents and the subject on one line). */
const HEADER_LINES = 5;
/** Room for those lines beyond `maxBytes`: a hostile author name longer than this cuts the record (named in the warning). */
const HEADER_ROOM = 64 * 1024;

/**
 * Streams the message of every commit `revArgs` selects, oldest first, with its commit's CommitInfo (so no further
 * git call per finding). Records end with a NUL (`-z`), which git never prints inside a message (it stops a message
 * at its first NUL). Bytes stay bytes: a message that is not UTF-8 reaches the fragmenter as a file would.
 * `--encoding=UTF-8` re-encodes messages that declare another encoding and overrides a repository's
 * `i18n.logOutputEncoding` (UTF-16 output would hold NULs). A message past `maxBytes` is kept up to there, so one
 * record never holds more than that in memory.
 */
export async function streamCommitMessages(repo: Repository, revArgs: readonly string[], maxBytes: number, onMessage: (message: CommitMessage) => void): Promise<void> {
  let parts: Buffer[] = [];
  let held = 0;
  let cut = 0;
  const add = (piece: Buffer): void => {
    const room = maxBytes + HEADER_ROOM - held;
    if (piece.length > room) cut += piece.length - Math.max(0, room);
    if (room <= 0) return;
    // A copy: the chunk belongs to the stream, and a message must not keep a whole chunk alive.
    const kept = Buffer.from(piece.subarray(0, room));
    parts.push(kept);
    held += kept.length;
  };
  const end = (): void => {
    const record = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const left = cut;
    parts = [];
    held = 0;
    cut = 0;
    const lineEnds: number[] = [];
    for (let at = record.indexOf(0x0a); at >= 0 && lineEnds.length < HEADER_LINES; at = record.indexOf(0x0a, at + 1)) lineEnds.push(at);
    const sha = record.subarray(0, lineEnds[0] ?? 0).toString('latin1');
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) return;
    if (lineEnds.length < HEADER_LINES) {
      // Header longer than its room: nothing of the message was kept.
      onMessage({ sha, bytes: Buffer.alloc(0), cut: left + record.length, commit: () => ({ sha, author: '', email: '', date: '', message: '' }) });
      return;
    }
    const body = record.subarray(lineEnds[HEADER_LINES - 1] + 1);
    const over = Math.max(0, body.length - maxBytes);
    const field = (i: number): string => record.toString('utf8', lineEnds[i - 1] + 1, lineEnds[i]);
    onMessage({
      sha,
      bytes: body.subarray(0, body.length - over),
      cut: left + over,
      commit: () => ({ sha, author: field(1), email: field(2), date: field(3), message: field(4) }),
    });
  };
  await streamGit(
    ['log', '--reverse', '-z', '--no-show-signature', '--no-mailmap', '--no-color', '--encoding=UTF-8', '--format=%H%n%an%n%ae%n%aI%n%s%n%B', ...revArgs, '--'],
    repo.top,
    (chunk) => {
      let start = 0;
      for (let at = chunk.indexOf(0); at >= 0; at = chunk.indexOf(0, start)) {
        add(chunk.subarray(start, at));
        end();
        start = at + 1;
      }
      if (start < chunk.length) add(chunk.subarray(start));
    },
  ).catch((error) => {
    throw gitFailure(error);
  });
  // git ends every record with a NUL; a last one without is still a message.
  if (held > 0) end();
}
