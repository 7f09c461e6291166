import type { DetectOptions } from '../detect/detect';
import { CHUNK_BYTES } from '../fragments/read-file';
import { catFileBatch, type BlobReaderHandlers } from '../git/cat-file';
import { emptyOutcome } from '../outcome';
import type { Rule, ScanOutcome } from '../types';
import { ContentReader } from './content-reader';

/**
 * Handlers for `cat-file` that scan each blob as it streams in and record the outcome, keyed by blob id (the
 * path of a finding is the blob id until its source names it). `onBlob` is called as each blob is done, with the bytes read.
 */
export function blobScanHandlers(
  rules: readonly Rule[],
  detect: DetectOptions,
  maxFileSize: number | undefined,
  out: ScanOutcome,
  onBlob?: (bytes: number) => void,
): BlobReaderHandlers {
  return {
    open(oid, size, type) {
      if (type !== 'blob') return undefined;
      if (maxFileSize !== undefined && size > maxFileSize) {
        out.tooLarge.push(oid);
        onBlob?.(0);
        return undefined;
      }
      out.bytes += size;
      // A binary blob (an archive, an executable) is kept and opened or read for strings, as a binary file is.
      const reader = new ContentReader(oid, out, rules, detect, size);
      return {
        write: (chunk) => reader.write(chunk),
        end() {
          reader.end();
          if (reader.kind !== 'binary') out.files++;
          if (reader.cutLines > 0) out.cutLines.push(oid);
          onBlob?.(size);
        },
      };
    },
    missing(oid) {
      out.missing.push(oid);
      onBlob?.(0);
    },
    unreadable(oid, reason) {
      out.unreadable.push({ oid, reason });
      onBlob?.(0);
    },
  };
}

export interface BlobRun {
  done: Promise<ScanOutcome>;
  abort(): void;
}

/**
 * Reads blobs with one `git cat-file --batch` and scans them, in this thread: those given, and any requested
 * before `end()`.
 */
export function scanBlobsHere(
  cwd: string,
  oids: readonly string[],
  rules: readonly Rule[],
  detect: DetectOptions,
  maxFileSize: number | undefined,
  onBlob?: (bytes: number) => void,
): BlobRun & { request(oid: string): void; end(): Promise<ScanOutcome> } {
  const out = emptyOutcome();
  // Blobs up to a piece in size are scanned whole from one reused buffer: a fragmenter does not keep what it is
  // given after end(), and findings hold strings only.
  const batch = catFileBatch(cwd, blobScanHandlers(rules, detect, maxFileSize, out, onBlob), { assembleUpTo: CHUNK_BYTES });
  batch.requestAll(oids);
  let ended: Promise<ScanOutcome> | undefined;
  const end = (): Promise<ScanOutcome> => (ended ??= batch.end().then(() => out));
  return {
    request: (oid) => batch.request(oid),
    end,
    get done() {
      return end();
    },
    abort: batch.abort,
  };
}
