import type { Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import { compareFindings } from '../detect/detect';
import { UserError } from '../errors';
import { findingKey } from '../outcome';
import type { Finding, ScanError, ScanResult } from '../types';
import { FINGERPRINT_KEY, fitSarif, GITHUB_LIMITS, resultSeverity, type SarifLimits } from './sarif';

/** A report read back: the JSON report as a scan result (plus what a history shard adds), or a SARIF log. */
export type ReadReport =
  | { format: 'json'; file: string; result: ScanResult; shard?: unknown }
  | { format: 'sarif'; file: string; log: Log };

const LEVELS = new Set(['error', 'warning', 'note']);
const CONFIDENCES = new Set(['high', 'medium', 'low']);

/** A value from a file, made safe to quote in a one-line error: no control characters, bounded. */
function quoted(value: unknown): string {
  const text = JSON.stringify(typeof value === 'string' ? value : String(value)) ?? '""';
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one report and checks it was made by this tool at this version: rules and fingerprints may differ
 * between versions, so their findings cannot be compared.
 */
export function readReport(file: string, text: string, tool: { name: string; version: string }): ReadReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError(`${file} is not JSON — pass reports written by ${tool.name} --format json or --format sarif`);
  }
  if (!isObject(doc)) throw new UserError(`${file} is not a report — pass reports written by ${tool.name} --format json or --format sarif`);
  const made = (name: unknown, version: unknown): void => {
    if (name !== tool.name) throw new UserError(`${file} was made by ${quoted(name)}, not ${tool.name} — merge only reports ${tool.name} wrote`);
    if (version !== tool.version) {
      throw new UserError(`${file} was made by ${tool.name} ${quoted(version)}, this is ${tool.version} — rerun that scan with ${tool.version} (rules and fingerprints differ between versions)`);
    }
  };
  if (Array.isArray(doc.runs)) {
    if (doc.version !== '2.1.0') throw new UserError(`${file} is SARIF ${quoted(doc.version)}, not 2.1.0 — pass SARIF written by ${tool.name}`);
    for (const run of doc.runs) {
      const driver = isObject(run) && isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : {};
      made(driver.name, driver.version);
      if (!Array.isArray((run as Run).results)) throw new UserError(`${file}: a run has no results list — not a SARIF log ${tool.name} wrote`);
    }
    return { format: 'sarif', file, log: doc as unknown as Log };
  }
  if (!isObject(doc.tool) || !Array.isArray(doc.findings)) {
    throw new UserError(`${file} is neither an ${tool.name} JSON report nor a SARIF log — pass reports written by ${tool.name} --format json or --format sarif`);
  }
  made(doc.tool.name, doc.tool.version);
  const findings = doc.findings.map((f, i) => findingOf(f, `${file}: finding ${i + 1}`));
  const errors = Array.isArray(doc.errors) ? doc.errors.map((e, i) => errorOf(e, `${file}: error ${i + 1}`)) : [];
  const warnings = Array.isArray(doc.warnings) ? doc.warnings.map(String) : [];
  const stats = isObject(doc.stats) ? doc.stats : {};
  const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const result: ScanResult = {
    findings,
    errors,
    warnings,
    stats: {
      files: number(stats.files),
      bytes: number(stats.bytes),
      durationMs: number(stats.durationMs),
      suppressed: number(stats.suppressed),
      ...(stats.baselined !== undefined ? { baselined: number(stats.baselined) } : {}),
    },
    ...(Array.isArray(doc.unusedBaseline) ? { unusedBaseline: doc.unusedBaseline as ScanResult['unusedBaseline'] } : {}),
  };
  return { format: 'json', file, result, ...(doc.shard !== undefined ? { shard: doc.shard } : {}) };
}

function findingOf(value: unknown, where: string): Finding {
  const bad = (field: string): never => {
    throw new UserError(`${where} has no valid ${field} — not a report ms-leakscan wrote (or it was edited)`);
  };
  if (!isObject(value)) return bad('finding');
  const f = value;
  for (const field of ['ruleId', 'path', 'secret', 'fingerprint', 'message', 'remediation']) if (typeof f[field] !== 'string') bad(field);
  for (const field of ['startLine', 'startColumn', 'endLine', 'endColumn']) if (!Number.isInteger(f[field])) bad(field);
  if (!LEVELS.has(f.level as string)) bad('level');
  if (!CONFIDENCES.has(f.confidence as string)) bad('confidence');
  if (f.commit !== undefined && !(isObject(f.commit) && typeof f.commit.sha === 'string')) bad('commit');
  return { ...(f as unknown as Finding), entropy: typeof f.entropy === 'number' ? f.entropy : 0 };
}

function errorOf(value: unknown, where: string): ScanError {
  if (!isObject(value) || typeof value.path !== 'string' || typeof value.message !== 'string') {
    throw new UserError(`${where} has no path or message — not a report ms-leakscan wrote`);
  }
  return { path: value.path, message: value.message };
}


function unique<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/**
 * One result from several: findings deduplicated and sorted as a scan sorts them (stable, so equal places keep
 * the order of the arguments), errors and warnings deduplicated, counts summed. durationMs is the longest
 * (reports of a matrix run side by side); a baseline entry is unused only if every report says so.
 */
export function mergeResults(results: readonly ScanResult[]): ScanResult {
  const findings = unique(results.flatMap((r) => r.findings), findingKey).sort(compareFindings);
  const errors = unique(results.flatMap((r) => r.errors), (e) => `${e.path}\0${e.message}`).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const warnings = unique(results.flatMap((r) => r.warnings), (w) => w);
  const sum = (pick: (r: ScanResult) => number | undefined): number => results.reduce((n, r) => n + (pick(r) ?? 0), 0);
  const baselined = results.some((r) => r.stats.baselined !== undefined) ? { baselined: sum((r) => r.stats.baselined) } : {};
  let unusedBaseline: ScanResult['unusedBaseline'];
  if (results.length > 0 && results.every((r) => r.unusedBaseline)) {
    const key = (e: { ruleId: string; fingerprint: string }): string => `${e.ruleId}\0${e.fingerprint}`;
    const inAll = results.slice(1).map((r) => new Set((r.unusedBaseline ?? []).map(key)));
    unusedBaseline = (results[0].unusedBaseline ?? []).filter((e) => inAll.every((set) => set.has(key(e))));
  }
  return {
    findings,
    errors,
    warnings,
    stats: {
      files: sum((r) => r.stats.files),
      bytes: sum((r) => r.stats.bytes),
      durationMs: Math.max(0, ...results.map((r) => r.stats.durationMs)),
      suppressed: sum((r) => r.stats.suppressed),
      ...baselined,
    },
    ...(unusedBaseline ? { unusedBaseline } : {}),
  };
}

function resultPlace(result: Result): { path: string; startLine: number; startColumn: number; endLine: number; endColumn: number } {
  const location = result.locations?.[0]?.physicalLocation;
  const uri = location?.artifactLocation?.uri ?? '';
  let path: string;
  try {
    path = uri.split('/').map(decodeURIComponent).join('/');
  } catch {
    path = uri;
  }
  const region = location?.region ?? {};
  return { path, startLine: region.startLine ?? 0, startColumn: region.startColumn ?? 0, endLine: region.endLine ?? 0, endColumn: region.endColumn ?? 0 };
}

function resultKey(result: Result): string {
  const p = resultPlace(result);
  const commit = (result.properties as { commit?: { sha?: string } } | undefined)?.commit?.sha ?? '';
  return [result.ruleId, p.path, p.startLine, p.startColumn, p.endLine, p.endColumn, result.partialFingerprints?.[FINGERPRINT_KEY] ?? '', commit].join('\0');
}

/**
 * One SARIF log from several of this tool's: one run whose rules are the union of theirs (each result's
 * ruleIndex pointing into it), results deduplicated and in a scan's order, every notification kept once.
 */
export function mergeSarif(logs: readonly Log[]): Log {
  const runs = logs.flatMap((log) => log.runs);
  const first = runs[0];
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const run of runs) {
    for (const rule of run.tool.driver.rules ?? []) {
      if (ruleIndex.has(rule.id)) continue;
      ruleIndex.set(rule.id, rules.length);
      rules.push(rule);
    }
  }
  const results = unique(runs.flatMap((run) => run.results ?? []), resultKey).map((result): Result => {
    const id = result.ruleId ?? '';
    if (!ruleIndex.has(id)) {
      ruleIndex.set(id, rules.length);
      rules.push({ id, shortDescription: { text: `${id}.` } });
    }
    return { ...result, ruleIndex: ruleIndex.get(id) };
  });
  const place = new Map(results.map((r) => [r, { ...resultPlace(r), ruleId: r.ruleId ?? '' } as Finding]));
  results.sort((a, b) => compareFindings(place.get(a) as Finding, place.get(b) as Finding));
  const notifications: Notification[] = unique(
    runs.flatMap((run) => run.invocations ?? []).flatMap((invocation) => invocation.toolExecutionNotifications ?? []),
    (n) => JSON.stringify(n),
  );
  const categories = new Set(runs.map((run) => run.automationDetails?.id));
  const run: Run = {
    ...first,
    tool: { ...first.tool, driver: { ...first.tool.driver, rules } },
    automationDetails: categories.size === 1 && first.automationDetails ? first.automationDetails : { id: `${first.tool.driver.name}/merged/` },
    invocations: [
      {
        executionSuccessful: runs.every((r) => (r.invocations ?? []).every((invocation) => invocation.executionSuccessful)),
        toolExecutionNotifications: notifications,
      },
    ],
    results,
  };
  return { ...logs[0], runs: [run] };
}

/**
 * The merged log's text within GitHub's upload limits (as a scan's SARIF is): over them, the most severe results are
 * kept and a notification says how many were left out. Shards that each fit can together exceed them.
 */
export function mergedSarifText(log: Log, limits: SarifLimits = GITHUB_LIMITS): string {
  const [run] = log.runs;
  return fitSarif(run.results ?? [], resultSeverity, (results, extra) => {
    const invocations = (run.invocations ?? []).map((invocation, i) =>
      i === 0 && extra.length ? { ...invocation, toolExecutionNotifications: [...(invocation.toolExecutionNotifications ?? []), ...extra] } : invocation,
    );
    return { ...log, runs: [{ ...run, invocations, results }] };
  }, limits);
}
