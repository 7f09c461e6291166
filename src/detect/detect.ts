import type { Candidate, ContextSignals, Finding, Fragment, Level, Rule, SecretAllowlist } from '../types';
import { ContextIndex } from './context';
import { shannonEntropy, isPlaceholder } from './entropy';
import { alignToCharStart, countNewlines, LineCounter, LineCursor, lineEndOf, lineStartOf, linesAfter, linesBefore } from './lines';
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
  /** The config's definition of `isAllowedSecret`, as plain data, so worker threads can build the same one. */
  allowSecrets?: SecretAllowlist;
  /** Work one fragment may take (see WORK_BUDGET); for tests. */
  workBudget?: number;
  /**
   * The engine's stages around detection (src/engine/decode-stage.ts, binary-content.ts), each on unless false.
   * Plain data, so it reaches worker threads; detectFragment itself ignores it.
   */
  stages?: { decode?: boolean; archives?: boolean; binaryStrings?: boolean };
}

export interface DetectOutcome {
  findings: Finding[];
  /** Candidates that were real findings but were suppressed by an allow comment or allowlist. */
  suppressed: number;
  /**
   * Set when the fragment needed more work than its budget: it was scanned up to line `line`, column `column` (of
   * the file), and not from there to the end of line `lastLine`.
   */
  stopped?: { line: number; column: number; lastLine: number };
}

/** Bytes on either side of a keyword hit that a pattern may look at, on very long lines (minified bundles). */
const LONG_LINE_REACH = 2048;
const NL = 0x0a;

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
 * Most hits of one keyword kept per buffer; past it the buffer is scanned only up to the last one kept. Above the
 * 125,000 keys of the densest real-looking file we measure, far below the 7 million `sk-` of 20 MB of them.
 */
export const MAX_KEYWORD_HITS = 300_000;

/**
 * Offsets of each keyword in one buffer, searched once per buffer whatever the number of rules naming it. A keyword
 * that extends a shorter one (`sk-ws-` of `sk-`) is picked out of that one's hits instead of searching again.
 */
export class KeywordHits {
  private readonly found = new Map<string, number[]>();
  /** Offset past which hits were not collected (a keyword had MAX_KEYWORD_HITS before it); the length when none. */
  limit: number;

  constructor(
    private readonly bytes: Buffer,
    private readonly keywords: ReadonlySet<string> = new Set(),
    private readonly maxHits = MAX_KEYWORD_HITS,
  ) {
    this.limit = bytes.length;
  }

  of(keyword: string): number[] {
    let hits = this.found.get(keyword);
    if (hits) return hits;
    const needle = needleOf(keyword);
    const { bytes } = this;
    let base: string | undefined;
    for (const k of this.keywords) if (k.length < keyword.length && keyword.startsWith(k) && (!base || k.length > base.length)) base = k;
    if (base) {
      hits = [];
      // A hit of the shorter keyword within a few bytes of the end has no room for the longer one.
      const last = bytes.length - needle.length;
      for (const at of this.of(base)) if (at <= last && bytes.compare(needle, 0, needle.length, at, at + needle.length) === 0) hits.push(at);
    } else {
      hits = [];
      // Searched by a rarer tail of the keyword (`k-` for `sk-`), each hit then checked for the whole keyword.
      const skip = anchorOffset(keyword);
      const anchor = skip > 0 ? needle.subarray(skip) : needle;
      for (let at = bytes.indexOf(anchor, skip); at >= 0; at = bytes.indexOf(anchor, at + 1)) {
        const start = at - skip;
        if (skip === 0 || bytes.compare(needle, 0, skip, start, at) === 0) {
          if (hits.length === this.maxHits) {
            this.limit = Math.min(this.limit, start);
            break;
          }
          hits.push(start);
        }
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
  const reach = LONG_LINE_REACH * (lines + 1);
  // Bytes [clearFrom, clearTo) hold no newline: a window inside them is the reach itself, found without searching
  // for line ends (300,000 hits on one long line searched 4 KB each).
  let clearFrom = 0;
  let clearTo = 0;
  for (const hit of hits) {
    const lo = Math.max(0, hit - reach);
    const hi = Math.min(bytes.length, hit + reach);
    let start: number;
    let end: number;
    if (lo >= clearFrom && lo <= clearTo && hi > clearTo && bytes.subarray(clearTo, hi).indexOf(NL) < 0) clearTo = hi;
    if (lo >= clearFrom && hi <= clearTo) {
      start = alignToCharStart(bytes, lo);
      end = alignToCharStart(bytes, hi);
    } else {
      [start, end] = windowAround(bytes, hit, lines);
      const nl = bytes.subarray(lo, hi).indexOf(NL);
      clearFrom = lo;
      clearTo = nl < 0 ? hi : lo + nl;
    }
    const last = windows.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return windows;
}

/** Bytes [start, end) the pattern runs over, and the offset at or after which a match may start (its lookbehinds see before it). */
type Window = [start: number, end: number, from?: number];

/**
 * Windows of a rule with per-keyword windows: each keyword's hits (before `cut`) with its own number of lines (or the
 * rest of the hit's line), the windows of all of them then merged into one ascending list of disjoint ranges.
 */
function windowsByKeyword(bytes: Buffer, rule: Rule, keywords: KeywordHits, cut: number): Window[] {
  const all: Required<Window>[] = [];
  for (const keyword of rule.keywords) {
    const hits = keywords.of(keyword);
    const before = hits.length && hits[hits.length - 1] >= cut ? hits.filter((at) => at < cut) : hits;
    const lines = rule.keywordWindow?.[keyword] ?? rule.window ?? 0;
    if (lines === 'rest-of-line') {
      // The hit's line, decoded whole for the lookbehinds, matched from its first hit on.
      let first = 0;
      for (const [start, end] of mergedWindows(bytes, before, 0)) {
        while (before[first] < start) first++;
        all.push([start, end, before[first]]);
      }
    } else for (const [start, end] of mergedWindows(bytes, before, lines)) all.push([start, end, start]);
  }
  if (rule.keywords.length > 1) all.sort((a, b) => a[0] - b[0]);
  const merged: Required<Window>[] = [];
  for (const w of all) {
    const last = merged.at(-1);
    if (last && w[0] <= last[1]) {
      last[1] = Math.max(last[1], w[1]);
      last[2] = Math.min(last[2], w[2]);
    } else merged.push([w[0], w[1], w[2]]);
  }
  return merged;
}

/**
 * Work one fragment may take, in bytes of text decoded and matched (windows, each candidate's `line` and `window`),
 * plus a charge per keyword hit, so that a piece of dense content (10 MB of `secret <30 letters>` on one line: every
 * candidate reads 20 KB of text around it) takes a fraction of a second and bounded memory. A file of 125,000 keys
 * (one 6.75 MB piece) uses about half of it; a piece that needs more is scanned up to where the budget ran out, with a warning.
 */
export const WORK_BUDGET = 32 * 1024 * 1024;
/** Charged per keyword hit looked at. */
const HIT_COST = 64;

/** What a fragment may still spend, and where scanning stopped when it ran out. */
class WorkBudget {
  /** Byte offset from which the fragment was not scanned (Infinity while within budget). */
  stoppedAt = Infinity;

  constructor(public left: number) {}

  /** Takes `cost`; false (and stops at `offset`) when it is not there. */
  spend(cost: number, offset: number): boolean {
    if (this.left < cost) {
      this.stop(offset);
      return false;
    }
    this.left -= cost;
    return true;
  }

  stop(offset: number): void {
    this.stoppedAt = Math.min(this.stoppedAt, offset);
  }
}

/**
 * A match's text around it, decoded only if the rule's checks read it (most rules never read `window`), and
 * charged to the fragment's budget when it is.
 */
class LazyCandidate implements Candidate {
  private lineText: string | undefined;
  private windowText: string | undefined;

  constructor(
    readonly secret: string,
    readonly body: string,
    readonly groups: Record<string, string | undefined>,
    private readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
    private readonly lines: number,
    private readonly budget: WorkBudget,
  ) {}

  get line(): string {
    if (this.lineText === undefined) {
      this.lineText = textAround(this.bytes, this.start, this.end, 0);
      this.budget.left -= this.lineText.length;
    }
    return this.lineText;
  }

  get window(): string {
    if (this.windowText === undefined) {
      this.windowText = textAround(this.bytes, this.start, this.end, this.lines);
      this.budget.left -= this.windowText.length;
    }
    return this.windowText;
  }
}

/**
 * Most matches of one rule on one line. Past it the line is data, not code (10 MB of AccessKey IDs on one line:
 * 500,000 findings, a 500 MB report), and the piece is scanned no further, with a warning. Each finding costs about
 * 25 µs and 1 KB of report, so 2,000 keep a 10 MB line of keys near 20 MB/s and within 150 MB.
 */
export const MAX_MATCHES_PER_LINE = 2_000;

/** Copies of each rule's pattern with their own `lastIndex`: global (from a window's start) and sticky (at one hit). */
const searchers = new WeakMap<Rule, { global: RegExp; sticky: RegExp }>();

function searchersOf(rule: Rule): { global: RegExp; sticky: RegExp } {
  let found = searchers.get(rule);
  if (!found) {
    const flags = rule.pattern.flags.replace(/[gy]/g, '');
    searchers.set(rule, (found = { global: new RegExp(rule.pattern.source, `${flags}g`), sticky: new RegExp(rule.pattern.source, `${flags}y`) }));
  }
  return found;
}

/** Adds the matches of one rule to `matches` (never spread into it: 125,000 arguments overflow the stack). */
function matchesOfRule(bytes: Buffer, rule: Rule, keywords: KeywordHits, budget: WorkBudget, matches: Match[]): void {
  const lines = rule.window ?? 0;
  const hits = findKeywordHits(bytes, rule, keywords);
  let usable = hits.length;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i] >= keywords.limit || hits[i] >= budget.stoppedAt || !budget.spend(HIT_COST, hits[i])) {
      usable = i;
      break;
    }
  }
  let onLine = 0;
  // The first newline at or after the last match (-1: none left): a match past it starts a new line.
  let lineBreak = -2;
  /** Takes one match at byte `byteAt`; false when the piece must be scanned no further. */
  const take = (m: RegExpExecArray, byteAt: number): boolean => {
    const secret = m.groups?.secret as string;
    if (byteAt >= budget.stoppedAt) return false;
    if (lineBreak === -2 || (lineBreak >= 0 && byteAt > lineBreak)) {
      onLine = 1;
      lineBreak = bytes.indexOf(NL, byteAt);
    } else if (++onLine > MAX_MATCHES_PER_LINE) {
      budget.stop(byteAt);
      return false;
    }
    const byteEnd = byteAt + Buffer.byteLength(secret);
    const candidate = new LazyCandidate(secret, m.groups?.body ?? secret, { ...m.groups }, bytes, byteAt, byteEnd, lines, budget);
    matches.push({ rule, start: byteAt, end: byteEnd, candidate });
    return true;
  };
  const windows: Window[] = rule.keywordWindow
    ? windowsByKeyword(bytes, rule, keywords, usable === hits.length ? Infinity : hits[usable])
    : mergedWindows(bytes, usable === hits.length ? hits : hits.slice(0, usable), lines);
  const { global, sticky } = searchersOf(rule);
  let h = 0; // next hit, for rules tried at their hits only
  for (const [start, end, from = start] of windows) {
    if (start >= budget.stoppedAt || !budget.spend(end - start, start)) break;
    const text = bytes.toString('utf8', start, end);
    const ascii = text.length === end - start;
    // Byte offsets and character indices advance together, from one match (or hit) to the next: keywords and
    // window edges are ASCII, so the bytes between two of them decode to the characters between them.
    let charAt = 0;
    let byteAt = start;
    const charOf = (byte: number): number => {
      if (ascii) return byte - start;
      charAt += bytes.toString('utf8', byteAt, byte).length;
      byteAt = byte;
      return charAt;
    };
    const byteOf = (char: number): number => {
      if (ascii) return start + char;
      byteAt += Buffer.byteLength(text.slice(charAt, char));
      charAt = char;
      return byteAt;
    };
    if (rule.startsWithKeyword) {
      // Each hit is where a match can start; one inside the previous match cannot (matches never overlap).
      let doneTo = start;
      for (; h < usable && hits[h] < end; h++) {
        const hit = hits[h];
        if (hit < doneTo) continue;
        sticky.lastIndex = charOf(hit);
        const m = sticky.exec(text);
        const span = m?.indices?.groups?.secret;
        if (!m || !span || m.groups?.secret === undefined) continue;
        if (!take(m, byteOf(span[0]))) return;
        doneTo = hit + Buffer.byteLength(m[0]);
      }
      continue;
    }
    global.lastIndex = charOf(from);
    for (let m = global.exec(text); m; m = global.exec(text)) {
      if (m[0].length === 0) global.lastIndex++;
      const span = m.indices?.groups?.secret;
      if (!span || m.groups?.secret === undefined) continue;
      if (!take(m, byteOf(span[0]))) return;
    }
  }
}

const ALLOW_SAME_LINE = Buffer.from('ms-leakscan:allow');
const ALLOW_NEXT_LINE = Buffer.from('ms-leakscan:allow-next-line');

/** True when bytes [from, to) hold `ms-leakscan:allow` that is not `ms-leakscan:allow-next-line`. */
function hasSameLineAllow(bytes: Buffer, from: number, to: number): boolean {
  const line = bytes.subarray(from, to);
  for (let at = line.indexOf(ALLOW_SAME_LINE); at >= 0; at = line.indexOf(ALLOW_SAME_LINE, at + 1)) {
    // Near the end of the line there is no room for "-next-line" (and compare() throws past the end).
    const end = at + ALLOW_NEXT_LINE.length;
    if (end > line.length || line.compare(ALLOW_NEXT_LINE, 0, ALLOW_NEXT_LINE.length, at, end) !== 0) return true;
  }
  return false;
}

/**
 * Whether a secret's line is allowed: it carries `ms-leakscan:allow` (any comment style, a reason may follow) or
 * the line above carries `ms-leakscan:allow-next-line`. Only those two lines are searched, once per line.
 */
class InlineAllow {
  private readonly cursor: LineCursor;
  private lineStart = -1;
  private allowed = false;

  constructor(private readonly bytes: Buffer) {
    this.cursor = new LineCursor(bytes, 1);
  }

  at(start: number): boolean {
    const { lineStart, lineEnd, above } = this.cursor.at(start);
    if (lineStart !== this.lineStart) {
      this.lineStart = lineStart;
      this.allowed =
        hasSameLineAllow(this.bytes, lineStart, lineEnd) ||
        (above.length > 0 && this.bytes.subarray(above[0], lineStart).includes(ALLOW_NEXT_LINE));
    }
    return this.allowed;
  }
}

/** Message and remediation text, made once per rule, note and region instead of once per finding. */
const texts = new WeakMap<Rule, Map<string, { message: string; remediation: string }>>();

function textsOf(rule: Rule, note: string | undefined, where: string | undefined): { message: string; remediation: string } {
  let byKey = texts.get(rule);
  if (!byKey) texts.set(rule, (byKey = new Map()));
  const key = `${note ?? ''}\u0000${where ?? ''}`;
  let found = byKey.get(key);
  if (!found) {
    found = {
      message: `${rule.title}${note ? ` (${note})` : ''}${where ? `, region ${where}` : ''}`,
      remediation: rule.remediation.replace('{region}', where ?? 'the region where it was created'),
    };
    if (byKey.size < 256) byKey.set(key, found);
  }
  return found;
}

/**
 * A candidate's context signals, found when first read: the AccessKey secret's checks never read them, and a file
 * whose only candidates are its values (a Helm chart's) then never has its context words searched for.
 */
function lazySignals(find: () => ContextSignals): ContextSignals {
  let found: ContextSignals | undefined;
  const get = (): ContextSignals => (found ??= find());
  return {
    get modelStudio() {
      return get().modelStudio;
    },
    get otherVendor() {
      return get().otherVendor;
    },
    get otherVendorName() {
      return get().otherVendorName;
    },
    get modelStudioLines() {
      return get().modelStudioLines;
    },
    get otherVendorLines() {
      return get().otherVendorLines;
    },
    get region() {
      return get().region;
    },
    get modelStudioEndpoint() {
      return get().modelStudioEndpoint;
    },
    get otherVendorEndpoint() {
      return get().otherVendorEndpoint;
    },
  } satisfies Record<keyof ContextSignals, unknown>; // every field, or this does not compile
}

/**
 * Text that takes detection's common paths on real trees, keyword hits that come to nothing: `st-` in `test-` and
 * `host-`, `sk-` before too few hex digits, a placeholder, `LTAI` and `secret` with short values, context words and
 * a Model Studio host. Detected a few times by each thread (see `primeOnce`). It holds no key.
 */
const PRIMER: Fragment = {
  path: '',
  bytes: Buffer.from(
    [
      'test-case: host-name # best-effort st-beef',
      'DASHSCOPE_API_KEY=sk-0123abcd # too short; sk-your-key-here',
      'OPENAI_API_KEY = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'base_url: https://dashscope.aliyuncs.com/compatible-mode/v1',
      'access_key_id: LTAIshort  # ALIBABA_CLOUD_ACCESS_KEY_SECRET: <secret>',
      'client_secret = "not-a-key"; secretName: app-secrets; token: st-0000',
      'sk-ws-H.short sk-sp-short "sk-" %22sk-',
    ].join('\n'),
    'latin1',
  ),
  // The shape of the fragments a file's reader makes, so the primer adds no object shape of its own.
  firstLine: 1,
  firstColumn: 0,
};
/** Detections of the primer: V8 keeps no type feedback for a function before it has run a few times. */
const PRIMING_CALLS = 12;
/**
 * Fragments a thread detects before the primer runs: a pre-commit hook's few files never pay for it (about 9 ms,
 * cold), and a scan of more is primed before V8 optimises detection (after some hundreds of fragments).
 */
export const PRIME_AFTER = 32;
let detections = 0;

/**
 * Runs the primer through detection once per thread, at its PRIME_AFTER-th fragment, so V8 has seen detection's
 * common paths before it optimises it: the first fragments of a scan otherwise take paths one by one, and each new
 * one throws optimised code away (`--trace-deopt`: matchesOfRule, windowsByKeyword and detectFragment recompiled
 * two or three times per thread on babel's tree). Measured, 10 runs alternated: CPU -5% on the babel and config
 * trees. Its findings, if a custom rule made any, are dropped.
 */
function primeOnce(rules: readonly Rule[]): void {
  if (detections >= PRIME_AFTER || ++detections < PRIME_AFTER) return;
  for (let i = 0; i < PRIMING_CALLS; i++) detectFragment(PRIMER, rules);
}

/** Runs every rule over one fragment: prefilter → pattern → entropy/structure → context → allow. */
export function detectFragment(fragment: Fragment, rules: readonly Rule[], options: DetectOptions = {}): DetectOutcome {
  primeOnce(rules);
  const { bytes } = fragment;
  const matches: Match[] = [];
  const keywords = new KeywordHits(bytes, keywordSetOf(rules));
  const budget = new WorkBudget(options.workBudget ?? WORK_BUDGET);
  for (const rule of rules) matchesOfRule(bytes, rule, keywords, budget, matches);
  if (keywords.limit < bytes.length) budget.stop(keywords.limit);
  if (matches.length === 0) return withStop({ findings: [], suppressed: 0 }, fragment, budget);
  matches.sort((a, b) => a.start - b.start);

  const context = new ContextIndex(bytes);
  const allow = new InlineAllow(bytes);
  const lines = new LineCounter(bytes, fragment.firstLine ?? 1);
  const findings: Finding[] = [];
  let suppressed = 0;
  for (const { rule, start, end, candidate } of matches) {
    if (start >= budget.stoppedAt) continue; // another rule's hits ran out of budget before this one
    if (budget.left <= 0) {
      budget.stop(start);
      continue;
    }
    const entropy = shannonEntropy(candidate.body);
    if (entropy < rule.entropyFloor) continue;
    if (rule.check?.(candidate) !== undefined) continue;
    // A signature that parsed (the rule's `sig` group passed its check) proves a machine made the key: random
    // base64url holds "Fake" or "your" about once in 4,000 keys, so word and run tests would drop real leaks.
    if (candidate.groups.sig === undefined && isPlaceholder(candidate.body)) continue;
    const signals = lazySignals(() => context.signalsFor(start, end));
    const verdict = rule.classify ? rule.classify(candidate, signals) : { level: rule.defaultLevel, confidence: 'high' as const };
    if (!verdict) continue;
    if ((options.inlineAllow ?? true) && allow.at(start)) {
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
    const { message, remediation } = textsOf(rule, verdict.note, regionName(region));
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
      message,
      remediation,
    });
  }
  return withStop({ findings, suppressed }, fragment, budget);
}

/** Adds where scanning stopped, when the budget ran out: the line and column (of the file) of the first byte not scanned. */
function withStop(outcome: DetectOutcome, fragment: Fragment, budget: WorkBudget): DetectOutcome {
  if (budget.stoppedAt >= fragment.bytes.length) return outcome;
  const firstLine = fragment.firstLine ?? 1;
  const { line, column } = new LineCounter(fragment.bytes, firstLine).positionAt(budget.stoppedAt);
  const lastLine = firstLine + countNewlines(fragment.bytes, 0, Math.max(0, fragment.bytes.length - 1));
  return { ...outcome, stopped: { line, column: column + (line === firstLine ? (fragment.firstColumn ?? 0) : 0), lastLine } };
}

/** Severity order of levels, most severe highest: fail levels and report order. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = { error: 3, warning: 2, note: 1 };

/** True when `level` is at least as severe as `threshold`. */
export function atLeast(level: Level, threshold: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

/** Deterministic order: path, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
