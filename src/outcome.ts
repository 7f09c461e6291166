import { compareFindings, MAX_MATCHES_PER_LINE } from './detect/detect';
import type { Finding, OverBudget, ScanOutcome, ScanResult, UnitProblem } from './types';

/**
 * The one outcome type of a scan, and the one place its warnings are written. Plain functions over plain data:
 * sources, the engine and the pipeline all use them, so no stage merges or words these by hand.
 */
export function emptyOutcome(): ScanOutcome {
  return { findings: [], errors: [], warnings: [], cutLines: [], overBudget: [], tooLarge: [], missing: [], unreadable: [], unitProblems: [], files: 0, bytes: 0, suppressed: 0 };
}

/** Adds `part` to `total` (in place, and returns it). */
export function mergeOutcome(total: ScanOutcome, part: ScanOutcome): ScanOutcome {
  for (const finding of part.findings) total.findings.push(finding);
  for (const error of part.errors) total.errors.push(error);
  for (const warning of part.warnings) if (!total.warnings.includes(warning)) total.warnings.push(warning);
  for (const p of part.cutLines) total.cutLines.push(p);
  for (const o of part.overBudget) total.overBudget.push(o);
  for (const p of part.tooLarge) total.tooLarge.push(p);
  for (const oid of part.missing) total.missing.push(oid);
  for (const u of part.unreadable) total.unreadable.push(u);
  for (const p of part.unitProblems) total.unitProblems.push(p);
  total.files += part.files;
  total.bytes += part.bytes;
  total.suppressed += part.suppressed;
  return total;
}

/** The warning for a piece that ran out of budget: names the file and what was scanned. */
export function overBudgetWarning({ path, line, column, lastLine }: OverBudget): string {
  const rest = lastLine > line ? ` to the end of line ${lastLine}` : ' to the end of that line';
  return (
    `${path}: too dense to scan whole (over ${MAX_MATCHES_PER_LINE.toLocaleString('en')} candidate keys on one line, or too much work in one piece of the file): ` +
    `scanned up to line ${line}, column ${column}; from there${rest} keys can be missed`
  );
}

/** The warning for a unit with a line longer than the largest piece (64 MB), cut for scanning. */
export function cutLineWarning(path: string): string {
  return `${path}: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed`;
}

/** The warning for files left out by `maxFileSize`, naming a few. */
export function tooLargeWarning(paths: readonly string[], limit: number | undefined): string {
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return `${paths.length} file(s) larger than maxFileSize (${limit} bytes) not scanned: ${shown} — raise maxFileSize in the config to scan them`;
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The result reporters receive: findings and errors sorted, and the outcome's cut-line, over-budget and size
 * warnings written (each once), after the source's own warnings.
 */
export function resultOf(outcome: ScanOutcome, startedAt: number, maxFileSize?: number): ScanResult {
  const warnings = [...outcome.warnings];
  for (const path of [...new Set(outcome.cutLines)].sort()) warnings.push(cutLineWarning(path));
  const stops = [...outcome.overBudget].sort((a, b) => byPath(a, b) || a.line - b.line);
  for (const warning of new Set(stops.map(overBudgetWarning))) warnings.push(warning);
  const tooLarge = [...new Set(outcome.tooLarge)].sort();
  if (tooLarge.length) warnings.push(tooLargeWarning(tooLarge, maxFileSize));
  const errors = [...outcome.errors];
  const problems = outcome.unitProblems.map((p) => ({ severity: p.severity, path: memberPath(p.path, p.member), message: p.message }));
  for (const problem of problems.sort(byPath)) {
    if (problem.severity === 'error') errors.push({ path: problem.path, message: problem.message });
    else if (!warnings.includes(`${problem.path}: ${problem.message}`)) warnings.push(`${problem.path}: ${problem.message}`);
  }
  return {
    findings: outcome.findings.map(withMemberPath).sort(compareFindings),
    errors: errors.sort(byPath),
    warnings,
    stats: { files: outcome.files, bytes: outcome.bytes, durationMs: Math.round(performance.now() - startedAt), suppressed: outcome.suppressed },
    ...(outcome.shard ? { shard: outcome.shard } : {}),
  };
}

/** Separates an archive's path from a member's: `dist/app.zip!config/.env` (src/archive's MEMBER_SEPARATOR). */
const MEMBER_SEPARATOR = '!';

/**
 * Stands for the one member of a top-level gzip that stores no name (`gzip -n`, most libraries), whose name comes from
 * the archive's own path (`app.log.gz!app.log`): a blob's key is its id, so the name is made here, once it is named.
 */
export const UNNAMED_GZIP_MEMBER = '\u0000gunzipped';

function memberPath(path: string, member: string | undefined): string {
  if (member === undefined) return path;
  if (member.startsWith(UNNAMED_GZIP_MEMBER)) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    member = (base.replace(/\.(gz|gzip|z)$/i, '') || base) + member.slice(UNNAMED_GZIP_MEMBER.length);
  }
  return `${path}${MEMBER_SEPARATOR}${member}`;
}

/** A finding in an archive member, named by the archive's path and the member's (`member` is engine-internal). */
function withMemberPath(finding: Finding): Finding {
  if (finding.member === undefined) return finding;
  const { member, ...rest } = finding;
  return { ...rest, path: memberPath(finding.path, member) };
}

/**
 * Names the units of an outcome keyed by blob id (or any key) for the report: cut lines, budget stops and archive
 * problems at the first label of their unit, too-large units at every label. Findings are the source's to name (attribution).
 */
export function relabelUnits(outcome: ScanOutcome, labels: (key: string) => readonly string[]): void {
  outcome.unitProblems = outcome.unitProblems.flatMap((problem) => labels(problem.path).slice(0, 1).map((label) => namedProblem(problem, label)));
  outcome.cutLines = outcome.cutLines.flatMap((key) => labels(key).slice(0, 1));
  outcome.overBudget = outcome.overBudget.flatMap((stop) => labels(stop.path).slice(0, 1).map((path) => ({ ...stop, path })));
  outcome.tooLarge = outcome.tooLarge.flatMap((key) => [...labels(key)]);
}

/** The unit keys `relabelUnits` asks labels for, for a source that looks its labels up only for these. */
export function unitKeys(outcome: ScanOutcome): string[] {
  const keys: string[] = [];
  // The same walk as the relabelling itself (on a copy), so that a new kind of unit problem is never left out.
  relabelUnits({ ...outcome }, (key) => {
    keys.push(key);
    return [];
  });
  return keys;
}

/** A unit's problem at its label; a history label's blob (`a.zip (blob 1a2b…)`) goes to the message, after the member path. */
function namedProblem(problem: UnitProblem, label: string): UnitProblem {
  const blob = / \(blob [0-9a-f]+\)$/.exec(label);
  if (!blob || problem.member === undefined) return { ...problem, path: label };
  return { ...problem, path: label.slice(0, blob.index), message: `${problem.message}${blob[0]}` };
}

/** The same finding in two reports: same rule, place, key and commit (`merge` of shards and of reports). */
export function findingKey(f: Finding): string {
  return [f.ruleId, memberPath(f.path, f.member), f.startLine, f.startColumn, f.endLine, f.endColumn, f.fingerprint, f.commit?.sha ?? ''].join('\0');
}
