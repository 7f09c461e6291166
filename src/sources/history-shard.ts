import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { findingKey } from '../outcome';
import type { Finding, HistoryShard, ShardCandidate, ShardSpec } from '../types';

export type { HistoryShard, ShardCandidate, ShardSpec } from '../types';
export { findingKey };

/**
 * Attribution of history findings, whole or by shards.
 *
 * A history scan reports each (path, key) once, at the commit that first brought it to that path, and not again
 * where a commit that deleted a path holding the key adds it at another path (a rename or move). Both need every
 * blob's findings in commit order: a shard (`history --shard K/N`) reads only the blobs whose id falls in its
 * share, so it cannot attribute alone. Every shard lists all commits, identically, so the position of each
 * (commit, path, blob) introduction in the listing is the same in every shard: a shard reports its raw findings
 * with that position and the deletions of their commits, and `merge` runs the same attribution over the union.
 */

/** One introduction of a blob at a path, with the findings of the blob (if any). */
export interface AttributionEntry<T> {
  commit: number;
  gitPath: string;
  findings: readonly T[];
}

/**
 * The findings to report, in entry order: a finding whose key its path already had is dropped, as is one whose
 * commit deleted another path that had held the key (a move). `entries` must be in listing order.
 */
export function attributeIntroductions<T>(
  entries: Iterable<AttributionEntry<T>>,
  deletions: ReadonlyMap<number, readonly string[]>,
  fingerprintOf: (finding: T) => string,
): { finding: T; entry: AttributionEntry<T> }[] {
  const out: { finding: T; entry: AttributionEntry<T> }[] = [];
  const keysByPath = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.findings.length === 0) continue;
    let keys = keysByPath.get(entry.gitPath);
    if (!keys) keysByPath.set(entry.gitPath, (keys = new Set()));
    for (const finding of entry.findings) {
      const fingerprint = fingerprintOf(finding);
      if (keys.has(fingerprint)) continue;
      keys.add(fingerprint);
      const moved = (deletions.get(entry.commit) ?? []).some((deleted) => keysByPath.get(deleted)?.has(fingerprint));
      if (!moved) out.push({ finding, entry });
    }
  }
  return out;
}

/** `K/N` from the command line: 1 ≤ K ≤ N ≤ 1024. */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count && count <= 1024)) {
    throw new UserError(`--shard ${JSON.stringify(text).slice(0, 40)} is not K/N with 1 ≤ K ≤ N ≤ 1024 — e.g. --shard 2/4 scans the second quarter of the blobs`);
  }
  return { index, count };
}

/** A blob's shard, from its id (hex, uniformly spread by the hash): the same in every run and on every machine. */
export function inShard(oid: string, shard: ShardSpec): boolean {
  return parseInt(oid.slice(0, 8), 16) % shard.count === shard.index - 1;
}

/** Hash of a listing, fed commit by commit. */
export function listingDigest(): { add: (sha: string) => void; done: (files: number) => string } {
  const hash = createHash('sha256');
  return {
    add: (sha) => hash.update(`${sha}\n`),
    done: (files) => hash.update(`files ${files}`).digest('hex'),
  };
}

function isShard(value: unknown): value is HistoryShard {
  const s = value as HistoryShard;
  return (
    typeof s === 'object' && s !== null && Number.isInteger(s.index) && Number.isInteger(s.count) && typeof s.listing === 'string' &&
    Number.isInteger(s.commits) && Array.isArray(s.candidates) && Array.isArray(s.deletions) &&
    s.candidates.every((c) => c && Number.isInteger(c.seq) && Number.isInteger(c.commit) && typeof c.gitPath === 'string' && typeof c.fingerprint === 'string' && typeof c.key === 'string') &&
    s.deletions.every((d) => Array.isArray(d) && Number.isInteger(d[0]) && Array.isArray(d[1]) && d[1].every((p) => typeof p === 'string'))
  );
}

/**
 * The findings of a complete set of shards of one history, attributed exactly as one unsharded scan would:
 * every shard present once, all agreeing on the listing.
 */
export function attributeShards(parts: readonly { file: string; shard: unknown; findings: readonly Finding[] }[]): Finding[] {
  const shards = parts.map((p) => {
    if (!isShard(p.shard)) throw new UserError(`${p.file}: its "shard" part is malformed — not a shard report ms-leakscan wrote (or it was edited)`);
    return { ...p, shard: p.shard };
  });
  const first = shards[0];
  const count = first.shard.count;
  const byIndex = new Map<number, string>();
  for (const p of shards) {
    if (p.shard.count !== count) throw new UserError(`${p.file} is shard ${p.shard.index}/${p.shard.count} but ${first.file} is of ${count} shards — merge the shards of one --shard K/N run`);
    if (p.shard.listing !== first.shard.listing) {
      throw new UserError(`${p.file} and ${first.file} scanned different histories (the refs moved between the shards' runs?) — run every shard on the same commits`);
    }
    const twice = byIndex.get(p.shard.index);
    if (twice) throw new UserError(`${twice} and ${p.file} are both shard ${p.shard.index}/${count} — pass each shard once`);
    byIndex.set(p.shard.index, p.file);
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (absent.length) throw new UserError(`shard(s) ${absent.map((k) => `${k}/${count}`).join(', ')} of ${first.file}'s history missing — pass every shard's report (all from runs on the same commits), or the history is not fully scanned`);

  const deletions = new Map<number, string[]>();
  const candidates: { candidate: ShardCandidate; finding: Finding | undefined }[] = [];
  for (const p of shards) {
    for (const [commit, paths] of p.shard.deletions) if (!deletions.has(commit)) deletions.set(commit, paths);
    const reported = new Map(p.findings.map((f) => [findingKey(f), f]));
    for (const candidate of p.shard.candidates) candidates.push({ candidate, finding: reported.get(candidate.key) });
  }
  // One introduction is one blob, so one shard: sorting by position keeps each blob's findings in their order.
  candidates.sort((a, b) => a.candidate.seq - b.candidate.seq);
  const entries: AttributionEntry<{ candidate: ShardCandidate; finding: Finding | undefined }>[] = [];
  for (const c of candidates) {
    const last = entries[entries.length - 1];
    if (last && (last.findings[0] as { candidate: ShardCandidate }).candidate.seq === c.candidate.seq) (last.findings as unknown[]).push(c);
    else entries.push({ commit: c.candidate.commit, gitPath: c.candidate.gitPath, findings: [c] });
  }
  return attributeIntroductions(entries, deletions, (c) => c.candidate.fingerprint).flatMap(({ finding }) => (finding.finding ? [finding.finding] : []));
}
