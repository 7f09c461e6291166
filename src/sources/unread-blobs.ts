import { fetchCommand } from '../git/promisor';
import type { Repository } from '../git/repo';
import type { ScanError } from '../types';

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
