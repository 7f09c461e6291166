import { detectFragment, type DetectOptions } from '../detect/detect';
import { overBudgetWarning } from '../engine/scan-file';
import { openBlobReader } from '../git/cat-file';
import type { AddedLines } from '../git/diff';
import type { RawEntry } from '../git/raw';
import { gitFailure, reportPath, unreadableObjects, type Repository } from '../git/repo';
import type { FindingCollector } from '../scan';
import type { Finding, Rule } from '../types';
import { BlobFragmenter } from './blob-fragments';

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
    if (added && !added.get(entry.path)?.size) continue; // nothing added: a pure rename or mode change
    const list = pathsByOid.get(entry.oid) ?? [];
    if (list.length === 0) pathsByOid.set(entry.oid, list);
    list.push({ gitPath: entry.path, path });
  }
  if (pathsByOid.size === 0) return;
  const missing: { oid: string; path: string }[] = [];
  const tooLarge: string[] = [];
  const keep = (finding: Finding, gitPath: string): boolean => !added || (added.get(gitPath)?.has(finding.startLine) ?? false);
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
      missing.push({ oid, path: pathsByOid.get(oid)?.[0]?.path ?? oid });
    },
  });
  for (const oid of pathsByOid.keys()) reader.request(oid);
  await reader.end().catch((error) => {
    throw gitFailure(error);
  });
  if (missing.length > 0) throw unreadableObjects(missing);
  if (tooLarge.length > 0) collector.warnings.push(tooLargeWarning(tooLarge.sort(), options.maxFileSize as number));
}
