import type { Candidate, Finding, Fragment, Level, Rule } from '../types';
import { ContextIndex } from './context';
import { shannonEntropy, isPlaceholder } from './entropy';
import { alignToCharStart, LineCounter, lineEndOf, lineStartOf, linesAfter, linesBefore } from './lines';
import { fingerprintSecret, redactSecret } from './redact';
import { regionName } from './regions';

export interface DetectOptions {
  /** Put the whole secret in findings instead of the redacted form. */
  showSecret?: boolean;
  /** Honour `ms-leakscan:allow` comments (default true). */
  inlineAllow?: boolean;
  /** Secrets the configuration allows (stopwords, regexes); called with the clear secret, never stored. */
  isAllowedSecret?: (secret: string, ruleId: string) => boolean;
  /**
   * With --verify only: receives each reported finding's clear secret by fingerprint, so the verifier can send it
   * while the finding itself stays redacted (src/verify/secret-vault.ts). A function: it never crosses to a worker.
   */
  keepSecret?: (fingerprint: string, secret: string) => void;
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

const needles = new Map<string, Buffer>();

function needleOf(keyword: string): Buffer {
  let needle = needles.get(keyword);
  if (!needle) needles.set(keyword, (needle = Buffer.from(keyword, 'latin1')));
  return needle;
}

/** The ten most frequent letters of English text and code, and the space. */
const COMMON_BYTES = new Set('etaoinsrhl '.split(''));

/**
 * Where the part of a keyword to search for starts: at its first byte that is not among the most frequent ones,
 * keeping at least two bytes. `Buffer.indexOf` stops at every occurrence of the needle's first byte, so on
 * source code `k-` is found 3–4× faster than `sk-`, and `cret` 1.6× faster than `ecret`.
 */
function anchorOffset(keyword: string): number {
  for (let i = 0; i < keyword.length - 1; i++) if (!COMMON_BYTES.has(keyword[i])) return i;
  return 0;
}

/**
 * Offsets of each keyword in one buffer, searched once per buffer whatever the number of rules naming it. A keyword
 * that extends a shorter one (`sk-ws-` of `sk-`) is picked out of that one's hits instead of searching again.
 */
export class KeywordHits {
  private readonly found = new Map<string, number[]>();

  constructor(
    private readonly bytes: Buffer,
    private readonly keywords: ReadonlySet<string> = new Set(),
  ) {}

  of(keyword: string): number[] {
    let hits = this.found.get(keyword);
    if (hits) return hits;
    const needle = needleOf(keyword);
    const base = [...this.keywords].find((k) => k.length < keyword.length && keyword.startsWith(k));
    if (base) {
      hits = this.of(base).filter((at) => this.bytes.compare(needle, 0, needle.length, at, at + needle.length) === 0);
    } else {
      hits = [];
      // Searched by a rarer tail of the keyword (`k-` for `sk-`), each hit then checked for the whole keyword.
      const skip = anchorOffset(keyword);
      const anchor = skip > 0 ? needle.subarray(skip) : needle;
      const { bytes } = this;
      for (let at = bytes.indexOf(anchor, skip); at >= 0; at = bytes.indexOf(anchor, at + 1)) {
        const start = at - skip;
        if (skip === 0 || bytes.compare(needle, 0, skip, start, at) === 0) hits.push(start);
      }
    }
    this.found.set(keyword, hits);
    return hits;
  }
}

const keywordSets = new WeakMap<readonly Rule[], Set<string>>();

function keywordSetOf(rules: readonly Rule[]): Set<string> {
  let set = keywordSets.get(rules);
  if (!set) {
    set = new Set(rules.flatMap((rule) => rule.keywords));
    keywordSets.set(rules, set);
  }
  return set;
}

/** Offsets of every keyword of a rule in the raw bytes, ascending: the literal prefilter. */
export function findKeywordHits(bytes: Buffer, rule: Rule, cache: KeywordHits = new KeywordHits(bytes)): number[] {
  const hits: number[] = [];
  for (const keyword of rule.keywords) for (const at of cache.of(keyword)) hits.push(at);
  return rule.keywords.length > 1 ? hits.sort((a, b) => a - b) : hits;
}

/**
 * Lines around a hit the pattern runs over, clipped on very long lines. Every search stays within the reach:
 * looking for the line's ends across a whole 5 MB minified line, once per keyword hit, was quadratic.
 */
function windowAround(bytes: Buffer, hit: number, lines: number): [number, number] {
  const reach = LONG_LINE_REACH * (lines + 1);
  const lo = Math.max(0, hit - reach);
  const hi = Math.min(bytes.length, hit + reach);
  const view = bytes.subarray(lo, hi);
  const at = hit - lo;
  let start = lo + (lines > 0 ? linesBefore(view, at, lines) : lineStartOf(view, at));
  let end = lo + (lines > 0 ? linesAfter(view, at, lines) : lineEndOf(view, at));
  if (start === lo) start = alignToCharStart(bytes, lo);
  if (end === hi) end = alignToCharStart(bytes, hi);
  return [start, end];
}

/** Text of the lines around bytes [start, end), clipped as windowAround clips them. */
function textAround(bytes: Buffer, start: number, end: number, lines: number): string {
  const [from] = windowAround(bytes, start, lines);
  const [, to] = windowAround(bytes, Math.max(start, end - 1), lines);
  return bytes.toString('utf8', from, to);
}

/**
 * Windows of all keyword hits, overlapping ones merged: a dense run of hits (a minified bundle that says
 * "secret" every few bytes) is decoded and matched once, not once per hit.
 */
export function mergedWindows(bytes: Buffer, hits: readonly number[], lines: number): [number, number][] {
  const windows: [number, number][] = [];
  for (const hit of hits) {
    const [start, end] = windowAround(bytes, hit, lines);
    const last = windows.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return windows;
}

function matchesOfRule(bytes: Buffer, rule: Rule, keywords: KeywordHits): Match[] {
  const lines = rule.window ?? 0;
  const matches: Match[] = [];
  for (const [start, end] of mergedWindows(bytes, findKeywordHits(bytes, rule, keywords), lines)) {
    const text = bytes.toString('utf8', start, end);
    const ascii = text.length === end - start;
    // Matches come in ascending order: byte offsets are counted on from the previous one, not from the start.
    let charAt = 0;
    let byteAt = start;
    for (const m of text.matchAll(rule.pattern)) {
      const span = m.indices?.groups?.secret;
      const secret = m.groups?.secret;
      if (!span || secret === undefined) continue;
      if (ascii) byteAt = start + span[0];
      else byteAt += Buffer.byteLength(text.slice(charAt, span[0]));
      charAt = span[0];
      const byteEnd = byteAt + Buffer.byteLength(secret);
      matches.push({
        rule,
        start: byteAt,
        end: byteEnd,
        candidate: {
          secret,
          body: m.groups?.body ?? secret,
          groups: { ...m.groups },
          line: textAround(bytes, byteAt, byteEnd, 0),
          window: textAround(bytes, byteAt, byteEnd, lines),
        },
      });
    }
  }
  return matches;
}

const ALLOW_SAME_LINE = Buffer.from('ms-leakscan:allow');
const ALLOW_NEXT_LINE = Buffer.from('ms-leakscan:allow-next-line');

/**
 * True when the secret's line carries `ms-leakscan:allow` (any comment style, a reason may follow) or the line
 * above carries `ms-leakscan:allow-next-line`. Only those two lines are searched.
 */
function isAllowedInline(bytes: Buffer, start: number): boolean {
  const lineStart = lineStartOf(bytes, start);
  const lineEnd = lineEndOf(bytes, start);
  for (let at = bytes.indexOf(ALLOW_SAME_LINE, lineStart); at >= 0 && at < lineEnd; at = bytes.indexOf(ALLOW_SAME_LINE, at + 1)) {
    // Near the end of the buffer there is no room for "-next-line" (and compare() throws past the end).
    const end = at + ALLOW_NEXT_LINE.length;
    if (end > bytes.length || bytes.compare(ALLOW_NEXT_LINE, 0, ALLOW_NEXT_LINE.length, at, end) !== 0) return true;
  }
  if (lineStart === 0) return false;
  return bytes.subarray(lineStartOf(bytes, lineStart - 1), lineStart).includes(ALLOW_NEXT_LINE);
}

/** Runs every rule over one fragment: prefilter → pattern → entropy/structure → context → allow. */
export function detectFragment(fragment: Fragment, rules: readonly Rule[], options: DetectOptions = {}): DetectOutcome {
  const { bytes } = fragment;
  const matches: Match[] = [];
  const keywords = new KeywordHits(bytes, keywordSetOf(rules));
  for (const rule of rules) matches.push(...matchesOfRule(bytes, rule, keywords));
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
    const position = lines.positionAt(start);
    const line = position.line;
    const column = position.column + (line === (fragment.firstLine ?? 1) ? (fragment.firstColumn ?? 0) : 0);
    const region = signals.region;
    const where = regionName(region);
    const fingerprint = fingerprintSecret(rule.id, candidate.secret);
    options.keepSecret?.(fingerprint, candidate.secret);
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
      fingerprint,
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
