import { detectFragment, type DetectOptions } from '../detect/detect';
import { catFileBatch, type BlobReaderHandlers } from '../git/cat-file';
import type { OverBudget } from '../engine/scan-file';
import { fetchCommand } from '../git/promisor';
import type { Repository } from '../git/repo';
import type { Finding, Rule, ScanError } from '../types';
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
  /** Blobs git failed to read (corrupt), with git's reason; their partial findings are dropped. */
  unreadable: { oid: string; reason: string }[];
  /** Text blobs scanned, and bytes of the blobs read. */
  files: number;
  bytes: number;
  suppressed: number;
}

export function emptyBlobOutcome(): BlobScanOutcome {
  return { findings: new Map(), tooLarge: [], cutLines: [], overBudget: [], missing: [], unreadable: [], files: 0, bytes: 0, suppressed: 0 };
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
    unreadable(oid, reason) {
      out.unreadable.push({ oid, reason });
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
  batch.requestAll(oids);
  return { done: batch.end().then(() => out), abort: batch.abort };
}

/** A blob that could not be scanned, with the path (for the report) it was met at. */
export interface UnreadBlob {
  oid: string;
  path: string;
  /** Git's reason for a corrupt object; undefined when the object is missing. */
  reason?: string;
}

/** Blobs named one by one in the errors; the rest are counted in one more error. */
const LISTED_BLOBS = 10;

/**
 * Records blobs that could not be scanned as errors of the result (each against its path, the first few one by
 * one and the rest counted), so the scan is reported as incomplete with everything else it found. For a partial
 * clone, a warning says how to fetch the missing blobs.
 */
export function recordUnreadBlobs(
  repo: Repository,
  blobs: readonly UnreadBlob[],
  promisor: string | undefined,
  collector: { errors: ScanError[]; warnings: string[] },
): void {
  const missing = blobs.filter((b) => b.reason === undefined);
  const corrupt = blobs.filter((b) => b.reason !== undefined);
  const why = promisor
    ? `not downloaded by this partial clone (promisor remote ${promisor})`
    : 'missing from the repository (a deleted or damaged object)';
  listed(missing, (b) => `blob ${b.oid} is ${why}: not scanned`, collector.errors);
  listed(corrupt, (b) => `blob ${b.oid} could not be read (${b.reason}): not scanned — check the repository with git fsck`, collector.errors);
  if (missing.length === 0) return;
  const oids = missing.map((b) => b.oid);
  collector.warnings.push(
    promisor
      ? `${missing.length} blob(s) of ${repo.top} were not downloaded (partial clone) and were not scanned, so this scan is incomplete — ` +
          `fetch them with ${fetchCommand(repo, promisor, oids)}, or rerun with --fetch-missing to let git fetch them (only for a repository you trust: fetching runs the transport its config names)`
      : `${missing.length} blob(s) are missing from ${repo.top} and were not scanned, so this scan is incomplete — check it with git fsck and restore the objects from another clone`,
  );
}

function listed(blobs: readonly UnreadBlob[], message: (blob: UnreadBlob) => string, errors: ScanError[]): void {
  for (const blob of blobs.slice(0, LISTED_BLOBS)) errors.push({ path: blob.path, message: message(blob) });
  if (blobs.length > LISTED_BLOBS) {
    const rest = blobs.slice(LISTED_BLOBS);
    errors.push({ path: rest[0].path, message: `and ${rest.length} more blob(s) like the above (${rest.slice(0, 3).map((b) => b.path).join(', ')}${rest.length > 3 ? ', …' : ''}): not scanned` });
  }
}
