import { detectFragment, type DetectOptions } from '../detect/detect';
import { overBudgetWarning } from '../engine/scan-file';
import { openBlobReader } from '../git/cat-file';
import { isAddedLine, type AddedLines } from '../git/diff';
import type { RawEntry } from '../git/raw';
import { promisorRemote } from '../git/promisor';
import { gitFailure, reportPath, type Repository } from '../git/repo';
import type { FindingCollector } from '../scan';
import type { Finding, Rule } from '../types';
import { BlobFragmenter } from './blob-fragments';
import { recordUnreadBlobs, type UnreadBlob } from './blob-scan';

export interface ChangeScanOptions extends DetectOptions {
  rules: readonly Rule[];
  isExcludedPath?: (path: string) => boolean;
  /** Blobs larger than this many bytes are not read; the result warns about them (config `maxFileSize`). */
  maxFileSize?: number;
}

/** The warning for files left out by `maxFileSize`, naming a few. */
export function tooLargeWarning(paths: readonly string[], limit: number): string {
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return `${paths.length} file(s) larger than maxFileSize (${limit} bytes) not scanned: ${shown} — raise maxFileSize in the config to scan them`;
}

/**
 * Scans the new content of changed files (from the index or a commit), each distinct blob once through one
 * `git cat-file --batch`. With `added`, only findings on added lines are kept; the whole blob is still scanned
 * so context words elsewhere in the file count.
 */
export async function scanChangedBlobs(
  repo: Repository,
  entries: readonly RawEntry[],
  added: AddedLines | undefined,
  collector: FindingCollector,
  options: ChangeScanOptions,
): Promise<void> {
  const pathsByOid = new Map<string, { gitPath: string; path: string }[]>();
  for (const entry of entries) {
    const path = reportPath(repo, entry.path);
    if (options.isExcludedPath?.(path)) continue;
    const lines = added?.get(entry.path);
    if (added && lines !== 'unknown' && !lines?.size) continue; // nothing added: a pure rename or mode change
    const list = pathsByOid.get(entry.oid) ?? [];
    if (list.length === 0) pathsByOid.set(entry.oid, list);
    list.push({ gitPath: entry.path, path });
  }
  if (pathsByOid.size === 0) return;
  const unread: UnreadBlob[] = [];
  const tooLarge: string[] = [];
  const keep = (finding: Finding, gitPath: string): boolean => !added || isAddedLine(added, gitPath, finding.startLine);
  const reader = openBlobReader(repo.top, {
    open(oid, size) {
      const targets = pathsByOid.get(oid) ?? [];
      if (options.maxFileSize !== undefined && size > options.maxFileSize) {
        tooLarge.push(...targets.map((t) => t.path));
        return undefined;
      }
      collector.bytes += size;
      const fragmenter = new BlobFragmenter(size, targets[0]?.path ?? oid, (fragment) => {
        const outcome = detectFragment(fragment, options.rules, options);
        collector.suppressed += outcome.suppressed;
        if (outcome.stopped) collector.warnings.push(overBudgetWarning({ path: targets[0]?.path ?? oid, ...outcome.stopped }));
        for (const finding of outcome.findings) {
          for (const target of targets) if (keep(finding, target.gitPath)) collector.findings.push({ ...finding, path: target.path });
        }
      });
      return {
        write: (chunk) => fragmenter.write(chunk),
        end() {
          fragmenter.end();
          if (fragmenter.kind !== 'binary') collector.files += targets.length;
          if (fragmenter.cutLines > 0) collector.warnings.push(`${targets[0]?.path}: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed`);
        },
      };
    },
    missing(oid) {
      for (const target of pathsByOid.get(oid) ?? []) unread.push({ oid, path: target.path });
    },
    unreadable(oid, reason) {
      for (const target of pathsByOid.get(oid) ?? []) unread.push({ oid, path: target.path, reason });
    },
  });
  reader.requestAll([...pathsByOid.keys()]);
  await reader.end().catch((error) => {
    throw gitFailure(error);
  });
  // One missing or corrupt blob is recorded against its paths, and the rest of the change is still reported.
  if (unread.length > 0) recordUnreadBlobs(repo, unread, await promisorRemote(repo), collector);
  const unreadOids = new Set(unread.map((u) => u.oid));
  const uncompared = [...pathsByOid.entries()]
    .filter(([oid]) => !unreadOids.has(oid))
    .flatMap(([, targets]) => targets)
    .filter((t) => added?.get(t.gitPath) === 'unknown')
    .map((t) => t.path);
  if (uncompared.length > 0) {
    collector.warnings.push(
      `${uncompared.length} file(s) could not be compared with their earlier version, which git cannot read (${uncompared.slice(0, 5).join(', ')}${uncompared.length > 5 ? ', …' : ''}): ` +
        'keys on every line of them are reported, not only on the lines the change adds — check the repository with git fsck',
    );
  }
  if (tooLarge.length > 0) collector.warnings.push(tooLargeWarning(tooLarge.sort(), options.maxFileSize as number));
}
