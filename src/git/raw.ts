/**
 * Parser for git's `--raw -z` output, as printed by `git diff` and `git log` (with `--format` headers and
 * `-c` combined records for merges). Records arrive as NUL-separated tokens; a path is taken verbatim
 * (its bytes as `pathText` shows them).
 */

/** One file of a raw diff: its new content, or its deletion. */
export interface RawEntry {
  status: string;
  /** New path (the destination of a rename or copy). */
  path: string;
  /** Source path of a rename or copy. */
  fromPath?: string;
  /** Mode and object of the new side; `000000` and zeros when deleted. */
  mode: string;
  oid: string;
  /** Object of the old side (zeros when added); only for a two-way diff, not a merge's combined one. */
  oldOid?: string;
  /** Set when a path's bytes were not valid UTF-8: `path` shows them as `\xNN` and cannot name the file to git. */
  notUtf8?: true;
}

export const ZERO_OID = /^0+$/;

/** Regular files only: symbolic links and submodules are not content to scan. */
export function isRegularFile(mode: string): boolean {
  return mode === '100644' || mode === '100755';
}

export interface RawParserHandlers {
  /** A token that is not a raw record: a `--format` header (the caller's marker decides). */
  onHeader?(token: string): void;
  onEntry(entry: RawEntry): void;
}

/** Feeds NUL-separated tokens; returns a function taking each token. */
export function rawTokenParser(handlers: RawParserHandlers): (token: string, utf8?: boolean) => void {
  let pending: { fields: string[]; status: string; paths: string[]; want: number; notUtf8?: true } | undefined;
  return (token, utf8 = true) => {
    if (pending) {
      pending.paths.push(token);
      if (!utf8) pending.notUtf8 = true;
      if (pending.paths.length < pending.want) return;
      const { fields, status, paths, notUtf8 } = pending;
      pending = undefined;
      const parents = fields.length / 2 - 1; // `:m m o o`, or `::m m m o o o` for a merge of two
      const modes = fields.slice(0, parents + 1);
      const oids = fields.slice(parents + 1);
      handlers.onEntry({
        status,
        path: paths[paths.length - 1],
        ...(paths.length > 1 ? { fromPath: paths[0] } : {}),
        mode: modes[modes.length - 1],
        oid: oids[oids.length - 1],
        ...(parents === 1 ? { oldOid: oids[0] } : {}),
        ...(notUtf8 ? { notUtf8 } : {}),
      });
      return;
    }
    const text = token.charCodeAt(0) === 0x0a ? token.slice(1) : token;
    if (text.startsWith(':')) {
      const colons = text.match(/^:+/)![0].length;
      const parts = text.slice(colons).split(' ');
      const status = parts.pop() ?? '';
      const want = colons === 1 && (status[0] === 'R' || status[0] === 'C') ? 2 : 1;
      pending = { fields: parts, status, paths: [], want };
      return;
    }
    if (text.length > 0) handlers.onHeader?.(text);
  };
}
