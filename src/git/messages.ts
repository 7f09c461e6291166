import { streamGit } from './exec';
import { gitFailure, type Repository } from './repo';

/** One commit's message as git prints it (`%B`: subject and body, as written), raw bytes. */
export interface CommitMessage {
  sha: string;
  /** The message's bytes, up to `maxBytes`; a message can be any size and any encoding a commit names. */
  bytes: Buffer;
  /** Bytes left out past `maxBytes` (0 for all but a hostile or absurd message). */
  cut: number;
}

/**
 * Streams the message of every commit `revArgs` selects, oldest first. Records end with a NUL (`-z`), which git never
 * prints inside a message (it stops a message at its first NUL); each is `<sha>\n<message>`. Bytes stay bytes: a
 * message that is not UTF-8 reaches the fragmenter as a file would. `--encoding=UTF-8` re-encodes messages that
 * declare another encoding and overrides a repository's `i18n.logOutputEncoding` (UTF-16 output would hold NULs).
 * A message past `maxBytes` is kept up to there, so one record never holds more than that in memory.
 */
export async function streamCommitMessages(repo: Repository, revArgs: readonly string[], maxBytes: number, onMessage: (message: CommitMessage) => void): Promise<void> {
  let parts: Buffer[] = [];
  let held = 0;
  let cut = 0;
  const add = (piece: Buffer): void => {
    const room = maxBytes + SHA_LINE_BYTES - held;
    if (piece.length > room) cut += piece.length - Math.max(0, room);
    if (room <= 0) return;
    // A copy: the chunk belongs to the stream, and a message must not keep a whole chunk alive.
    const kept = Buffer.from(piece.subarray(0, room));
    parts.push(kept);
    held += kept.length;
  };
  const end = (): void => {
    const record = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts = [];
    held = 0;
    const newline = record.indexOf(0x0a);
    const sha = newline > 0 ? record.subarray(0, newline).toString('latin1') : '';
    if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) {
      const body = record.subarray(newline + 1);
      const over = Math.max(0, body.length - maxBytes);
      onMessage({ sha, bytes: body.subarray(0, body.length - over), cut: cut + over });
    }
    cut = 0;
  };
  await streamGit(
    ['log', '--reverse', '-z', '--no-show-signature', '--no-mailmap', '--no-color', '--encoding=UTF-8', '--format=%H%n%B', ...revArgs, '--'],
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

/** A SHA-256 id and its newline: the record's first line, not counted in the message's bytes. */
const SHA_LINE_BYTES = 65;
