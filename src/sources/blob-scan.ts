import { detectFragment, type DetectOptions } from '../detect/detect';
import { catFileBatch, type BlobReaderHandlers } from '../git/cat-file';
import type { OverBudget } from '../engine/scan-file';
import type { Finding, Rule } from '../types';
import { BlobFragmenter } from './blob-fragments';
import { CHUNK_BYTES } from './read-file';

/** What scanning blobs yields; plain data (a Map clones), so it crosses thread boundaries as is. */
export interface BlobScanOutcome {
  /** Findings by blob id, for the blobs that hold any. */
  findings: Map<string, Finding[]>;
  /** Blobs over the size limit, not read. */
  tooLarge: string[];
  /** Blobs with a line cut for being longer than the largest piece. */
  cutLines: string[];
  /** Blobs with a piece too dense to scan whole: where scanning stopped (`path` is the blob id). */
  overBudget: OverBudget[];
  /** Blobs the repository does not have. */
  missing: string[];
  /** Text blobs scanned, and bytes of the blobs read. */
  files: number;
  bytes: number;
  suppressed: number;
}

export function emptyBlobOutcome(): BlobScanOutcome {
  return { findings: new Map(), tooLarge: [], cutLines: [], overBudget: [], missing: [], files: 0, bytes: 0, suppressed: 0 };
}

/**
 * Handlers for `cat-file` that scan each blob as it streams in and record the outcome, keyed by blob id (the
 * path of a finding is the blob id until attribution names it). `onBlob` is called as each blob is done, with the bytes read.
 */
export function blobScanHandlers(
  rules: readonly Rule[],
  detect: DetectOptions,
  maxFileSize: number | undefined,
  out: BlobScanOutcome,
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
      const found: Finding[] = [];
      const fragmenter = new BlobFragmenter(size, oid, (fragment) => {
        const outcome = detectFragment(fragment, rules, detect);
        out.suppressed += outcome.suppressed;
        if (outcome.stopped) out.overBudget.push({ path: oid, ...outcome.stopped });
        for (const finding of outcome.findings) found.push(finding);
      });
      return {
        write: (chunk) => fragmenter.write(chunk),
        end() {
          fragmenter.end();
          if (fragmenter.kind !== 'binary') out.files++;
          if (found.length) out.findings.set(oid, found);
          if (fragmenter.cutLines > 0) out.cutLines.push(oid);
          onBlob?.(size);
        },
      };
    },
    missing(oid) {
      out.missing.push(oid);
      onBlob?.(0);
    },
  };
}

export interface BlobRun {
  done: Promise<BlobScanOutcome>;
  abort(): void;
}

/** Reads the given blobs with one `git cat-file --batch` and scans them, in this thread. */
export function scanBlobRun(
  cwd: string,
  oids: readonly string[],
  rules: readonly Rule[],
  detect: DetectOptions,
  maxFileSize: number | undefined,
  onBlob?: (bytes: number) => void,
): BlobRun {
  const out = emptyBlobOutcome();
  // Blobs up to a piece in size are scanned whole from one reused buffer: a fragmenter does not keep what it is
  // given after end(), and findings hold strings only.
  const batch = catFileBatch(cwd, blobScanHandlers(rules, detect, maxFileSize, out, onBlob), { assembleUpTo: CHUNK_BYTES });
  batch.child.stdin.end(oids.length ? `${oids.join('\n')}\n` : '');
  return { done: batch.done.then(() => out), abort: batch.abort };
}
