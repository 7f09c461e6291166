import { UserError } from '../errors';
import { describeReadError, readSmallFileSync } from '../sources/open-regular';
import type { Finding, ScanResult } from '../types';

/** One acknowledged finding: the rule and the fingerprint (sha256 of rule id and secret), nothing else. */
export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
}

/**
 * The one comment line a baseline starts with. Constant (no date, no tool version), so regenerating an
 * unchanged baseline changes nothing.
 */
export const BASELINE_HEADER =
  '# ms-leakscan baseline: one "<rule-id> <fingerprint>" line per known secret (sha256 of rule and secret, no secret). ' +
  'Regenerate: ms-leakscan baseline --output <this file>';

const ENTRY = /^([a-z0-9]+(?:-[a-z0-9]+)*) ([0-9a-f]{40})$/;

const key = (e: BaselineEntry): string => `${e.ruleId} ${e.fingerprint}`;

/**
 * The baseline of some findings: the header, then one line per distinct rule and secret, sorted. A key that
 * moves, is copied to another file or survives a rewritten history keeps the same line.
 */
export function formatBaseline(findings: readonly Finding[]): string {
  const lines = [...new Set(findings.map(key))].sort();
  return `${[BASELINE_HEADER, ...lines].join('\n')}\n`;
}

/** Entries of a baseline file's text; `display` names the file in errors. Blank and `#` lines are skipped. */
export function parseBaseline(text: string, display: string): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const match = ENTRY.exec(line);
    if (!match) {
      throw new UserError(
        `baseline ${display}: line ${i + 1} is not "<rule-id> <40 hex fingerprint>" — regenerate the file with ms-leakscan baseline --output ${display}`,
      );
    }
    entries.push({ ruleId: match[1], fingerprint: match[2] });
  });
  return entries;
}

/** The most a baseline may hold on disk (about 200,000 entries): the cap --policy-from puts on a baseline blob. */
export const BASELINE_MAX_BYTES = 16 << 20;

export function readBaseline(file: string, display: string): BaselineEntry[] {
  let text: string;
  try {
    text = readSmallFileSync(file, BASELINE_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? `create it with ms-leakscan baseline --output ${display}, or fix the path` : 'check its permissions';
    throw new UserError(`baseline ${display}: ${describeReadError(error, hint, 'the baseline file itself')}`);
  }
  return parseBaseline(text, display);
}

/**
 * Drops the findings a baseline lists and counts them as suppressed; with `reportUnused`, lists the entries
 * that matched nothing (sorted), so the baseline can shrink.
 */
export function applyBaseline(result: ScanResult, entries: readonly BaselineEntry[], reportUnused: boolean): ScanResult {
  const known = new Set(entries.map(key));
  const used = new Set<string>();
  const findings = result.findings.filter((finding) => {
    const k = key(finding);
    if (!known.has(k)) return true;
    used.add(k);
    return false;
  });
  const baselined = result.findings.length - findings.length;
  return {
    ...result,
    findings,
    stats: { ...result.stats, suppressed: (result.stats.suppressed ?? 0) + baselined, baselined: (result.stats.baselined ?? 0) + baselined },
    ...(reportUnused ? { unusedBaseline: [...known].filter((k) => !used.has(k)).sort().map(toEntry) } : {}),
  };
}

function toEntry(line: string): BaselineEntry {
  const [ruleId, fingerprint] = line.split(' ');
  return { ruleId, fingerprint };
}
