import type { Candidate, Finding, Fragment, Level, Rule } from '../types';
import { ContextIndex } from './context';
import { shannonEntropy, isPlaceholder } from './entropy';
import { alignToCharStart, columnAt, LineCounter, lineEndOf, lineStartOf, linesAfter, linesBefore } from './lines';
import { fingerprintSecret, redactSecret } from './redact';
import { regionName } from './regions';

export interface DetectOptions {
  /** Put the whole secret in findings instead of the redacted form. */
  showSecret?: boolean;
  /** Honour `ms-leakscan:allow` comments (default true). */
  inlineAllow?: boolean;
  /** Secrets the configuration allows (stopwords, regexes); called with the clear secret, never stored. */
  isAllowedSecret?: (secret: string, ruleId: string) => boolean;
}

export interface DetectOutcome {
  findings: Finding[];
  /** Candidates that were real findings but were suppressed by an allow comment or allowlist. */
  suppressed: number;
}

/** Bytes on either side of a keyword hit that a pattern may look at, on very long lines (minified bundles). */
const LONG_LINE_REACH = 2048;

interface Match {
  rule: Rule;
  start: number; // byte offsets in the fragment
  end: number;
  candidate: Candidate;
}

const keywordBytes = new WeakMap<Rule, Buffer[]>();

function keywordsOf(rule: Rule): Buffer[] {
  let list = keywordBytes.get(rule);
  if (!list) {
    list = rule.keywords.map((k) => Buffer.from(k, 'latin1'));
    keywordBytes.set(rule, list);
  }
  return list;
}

/** Offsets of every keyword of a rule in the raw bytes, ascending: the literal prefilter. */
export function findKeywordHits(bytes: Buffer, rule: Rule): number[] {
  const hits: number[] = [];
  for (const keyword of keywordsOf(rule)) {
    for (let at = bytes.indexOf(keyword); at >= 0; at = bytes.indexOf(keyword, at + 1)) hits.push(at);
  }
  return hits.length > 1 ? hits.sort((a, b) => a - b) : hits;
}

/** Lines around a hit the pattern runs over, clipped on very long lines. */
function windowAround(bytes: Buffer, hit: number, lines: number): [number, number] {
  const reach = LONG_LINE_REACH * (lines + 1);
  let start = lines > 0 ? linesBefore(bytes, hit, lines) : lineStartOf(bytes, hit);
  let end = lines > 0 ? linesAfter(bytes, hit, lines) : lineEndOf(bytes, hit);
  if (hit - start > reach) start = alignToCharStart(bytes, hit - reach);
  if (end - hit > reach) end = alignToCharStart(bytes, hit + reach);
  return [start, end];
}

function matchesOfRule(bytes: Buffer, rule: Rule): Match[] {
  const hits = findKeywordHits(bytes, rule);
  const matches: Match[] = [];
  let covered: [number, number] = [-1, -1];
  const seen = new Set<number>();
  for (const hit of hits) {
    const [start, end] = windowAround(bytes, hit, rule.window ?? 0);
    if (start >= covered[0] && end <= covered[1]) continue;
    covered = [start, end];
    const text = bytes.toString('utf8', start, end);
    const ascii = text.length === end - start;
    for (const m of text.matchAll(rule.pattern)) {
      const span = m.indices?.groups?.secret;
      const secret = m.groups?.secret;
      if (!span || secret === undefined) continue;
      const byteStart = start + (ascii ? span[0] : Buffer.byteLength(text.slice(0, span[0])));
      if (seen.has(byteStart)) continue;
      seen.add(byteStart);
      const lineFrom = text.lastIndexOf('\n', span[0]) + 1;
      const lineTo = text.indexOf('\n', span[1]);
      matches.push({
        rule,
        start: byteStart,
        end: byteStart + Buffer.byteLength(secret),
        candidate: {
          secret,
          body: m.groups?.body ?? secret,
          groups: { ...m.groups },
          line: text.slice(lineFrom, lineTo < 0 ? text.length : lineTo),
          window: text,
        },
      });
    }
  }
  return matches;
}

const ALLOW_SAME_LINE = Buffer.from('ms-leakscan:allow');
const ALLOW_NEXT_LINE = Buffer.from('ms-leakscan:allow-next-line');

/** True when the secret's line carries `ms-leakscan:allow` or the line above carries `ms-leakscan:allow-next-line`. */
function isAllowedInline(bytes: Buffer, start: number): boolean {
  const lineStart = lineStartOf(bytes, start);
  const lineEnd = lineEndOf(bytes, start);
  for (let at = bytes.indexOf(ALLOW_SAME_LINE, lineStart); at >= 0 && at < lineEnd; at = bytes.indexOf(ALLOW_SAME_LINE, at + 1)) {
    if (bytes.compare(ALLOW_NEXT_LINE, 0, ALLOW_NEXT_LINE.length, at, at + ALLOW_NEXT_LINE.length) !== 0) return true;
  }
  if (lineStart === 0) return false;
  const prevStart = lineStartOf(bytes, lineStart - 1);
  const at = bytes.indexOf(ALLOW_NEXT_LINE, prevStart);
  return at >= 0 && at < lineStart;
}

/** Runs every rule over one fragment: prefilter → pattern → entropy/structure → context → allow. */
export function detectFragment(fragment: Fragment, rules: readonly Rule[], options: DetectOptions = {}): DetectOutcome {
  const { bytes } = fragment;
  const matches: Match[] = [];
  for (const rule of rules) matches.push(...matchesOfRule(bytes, rule));
  if (matches.length === 0) return { findings: [], suppressed: 0 };
  matches.sort((a, b) => a.start - b.start);

  const context = new ContextIndex(bytes);
  const lines = new LineCounter(bytes, fragment.firstLine ?? 1);
  const findings: Finding[] = [];
  let suppressed = 0;
  for (const { rule, start, end, candidate } of matches) {
    const entropy = shannonEntropy(candidate.body);
    if (entropy < rule.entropyFloor) continue;
    if (rule.check?.(candidate) !== undefined) continue;
    // A signature that parsed (the rule's `sig` group passed its check) proves a machine made the key: random
    // base64url holds "Fake" or "your" about once in 4,000 keys, so word and run tests would drop real leaks.
    if (candidate.groups.sig === undefined && isPlaceholder(candidate.body)) continue;
    const signals = context.signalsFor(start, end);
    const verdict = rule.classify ? rule.classify(candidate, signals) : { level: rule.defaultLevel, confidence: 'high' as const };
    if (!verdict) continue;
    if ((options.inlineAllow ?? true) && isAllowedInline(bytes, start)) {
      suppressed++;
      continue;
    }
    if (options.isAllowedSecret?.(candidate.secret, rule.id)) {
      suppressed++;
      continue;
    }
    const line = lines.lineAt(start);
    const column = columnAt(bytes, start) + (line === (fragment.firstLine ?? 1) ? (fragment.firstColumn ?? 0) : 0);
    const region = signals.region;
    const where = regionName(region);
    findings.push({
      ruleId: rule.id,
      level: verdict.level,
      confidence: verdict.confidence,
      path: fragment.path,
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn: column + candidate.secret.length,
      secret: options.showSecret ? candidate.secret : redactSecret(candidate.secret),
      fingerprint: fingerprintSecret(rule.id, candidate.secret),
      entropy,
      ...(region ? { region } : {}),
      ...(fragment.commit ? { commit: fragment.commit } : {}),
      message: `${rule.title}${verdict.note ? ` (${verdict.note})` : ''}${where ? `, region ${where}` : ''}`,
      remediation: rule.remediation.replace('{region}', where ?? 'the region where it was created'),
    });
  }
  return { findings, suppressed };
}

const LEVEL_RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

/** True when `level` is at least as severe as `threshold`. */
export function atLeast(level: Level, threshold: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

/** Deterministic order: path, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
