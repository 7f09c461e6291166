/**
 * The decode stage, between fragments and detection: a fragment is scanned as it is, then every region the decoders
 * keep (src/decode) is scanned as decoded text, and a finding there is reported at the encoded text's place in the
 * original fragment, with `decoded` naming the chain (`base64`, `base64>percent`).
 *
 * A region is scanned with the original lines around it (up to NEARBY_LINES above and below, at most SURROUNDING
 * bytes each side), so the context rules and inline allow comments read what they read for a plain key: the name
 * `DASHSCOPE_API_KEY:` before a base64 value in a Kubernetes Secret is what makes it a Model Studio key.
 *
 * One finding per original span and rule: a key found both as plain text (`%22sk-…` is found in place) and decoded,
 * or from two chains, is reported once, plainly when it was found plainly. (An allow comment suppresses both copies,
 * so `suppressed` may count such a key twice.)
 *
 * Where it runs: `detectInto` (below) is the engine's one door to detection, used for working-tree files, git blobs
 * (history, staged, diff), standard input, archive members and binary strings, on whichever thread; the stage is
 * turned off by `stages.decode === false` (--no-decode), which reaches worker threads as plain data.
 *
 * Bound: at most MAX_DECODED_BYTES = 8 MiB decoded per fragment (every layer and decoder counted; a fragment is an
 * 8 MB piece of a file, up to 64 MB for one very long line), at most two layers; past the cap decoding of that
 * fragment stops and a warning says encoded keys there can be missed (the plain scan of it is complete).
 *
 * Cost, with binary strings (bench/compare-builds.js, this build against itself with --no-decode --no-binary-strings,
 * 2 threads, 12–20 runs in alternation, median of the paired per-round ratios, quiet 2-core machine; bench/RESULTS.md
 * has every pass): small tree (20,639 files, 210 MB of text) +9 to +13% wall, +10 to +15.5% CPU (median 12%);
 * config tree +9% wall, +10% CPU; babel tree +6 to +7% wall and CPU (+24% before the allocation-free first-candidate
 * searches and the primer). All of it is the decoders' searches for a first candidate: a build whose decodeFragment returns at once
 * costs what --no-decode does. A WebAssembly SIMD prefilter in front of those searches saved a third of them, not
 * enough to keep a second implementation; a sparser JavaScript probe of the base64 window was slower.
 */
import { NEARBY_LINES } from '../detect/context';
import { detectFragment, type DetectOptions, type DetectOutcome } from '../detect/detect';
import { alignToCharStart, LineCounter, linesAfter, linesBefore } from '../detect/lines';
import { chainName, decodeFragment, type DecodedRegion } from '../decode';
import { minimalKeywords } from '../decode/keywords';
import type { Finding, Fragment, Rule, ScanOutcome } from '../types';

/** Original bytes kept on either side of a decoded region for context (a minified line is not copied whole). */
const SURROUNDING = 4096;

export interface StageOutcome extends DetectOutcome {
  /** Set when decoding stopped at a cap, or a decoded region was too dense to scan whole: names it. */
  decodeIncomplete?: string;
}

const keywordsOfRules = new WeakMap<readonly Rule[], string[]>();

function keywordsOf(rules: readonly Rule[]): string[] {
  let keywords = keywordsOfRules.get(rules);
  if (!keywords) keywordsOfRules.set(rules, (keywords = minimalKeywords(rules.flatMap((rule) => rule.keywords))));
  return keywords;
}

/** detectFragment, then detection in the fragment's decoded regions (unless `decode` is false). */
export function detectWithDecoding(fragment: Fragment, rules: readonly Rule[], options: DetectOptions, decode = true): StageOutcome {
  const plain = detectFragment(fragment, rules, options);
  if (!decode || rules.length === 0) return plain;
  const decoded = decodeFragment(fragment.bytes, { keywords: keywordsOf(rules) });
  if (decoded.regions.length === 0 && !decoded.capped) return plain;
  const outcome: StageOutcome = { ...plain, findings: plain.findings.slice() };
  if (decoded.capped) outcome.decodeIncomplete = decoded.capped;
  if (decoded.regions.length === 0) return outcome;
  const seen = new Set(plain.findings.map(spanKey));
  const lines = new LineCounter(fragment.bytes, fragment.firstLine ?? 1);
  for (const region of decoded.regions) {
    const view = RegionView.of(fragment.bytes, region);
    const inner = detectFragment({ path: fragment.path, bytes: view.bytes, ...(fragment.commit ? { commit: fragment.commit } : {}) }, rules, options);
    outcome.suppressed += inner.suppressed;
    if (inner.stopped && !outcome.decodeIncomplete) outcome.decodeIncomplete = 'a decoded region was too dense to scan whole (work budget)';
    for (const finding of inner.findings) {
      const start = view.byteOffsetOf(finding.startLine, finding.startColumn);
      // Findings in the surrounding original text were found by the plain scan.
      if (start < view.decodedFrom || start >= view.decodedTo) continue;
      const end = view.byteOffsetOf(finding.endLine, finding.endColumn);
      const placed = place(finding, fragment, lines, view.toOriginal(start), view.toOriginal(end), chainName(region));
      const key = spanKey(placed);
      if (seen.has(key)) continue;
      seen.add(key);
      outcome.findings.push(placed);
    }
  }
  return outcome;
}

function spanKey(finding: Finding): string {
  return `${finding.ruleId}\u0000${finding.startLine}\u0000${finding.startColumn}`;
}

/** The finding moved to bytes [start, end) of the original fragment, with how it was encoded. */
function place(finding: Finding, fragment: Fragment, lines: LineCounter, start: number, end: number, chain: string): Finding {
  const firstLine = fragment.firstLine ?? 1;
  const column = (p: { line: number; column: number }): number => p.column + (p.line === firstLine ? (fragment.firstColumn ?? 0) : 0);
  const from = lines.positionAt(start);
  const startLine = from.line;
  const startColumn = column(from);
  const to = lines.positionAt(Math.max(start, end));
  return { ...finding, startLine, startColumn, endLine: to.line, endColumn: column(to), decoded: chain };
}

/**
 * A decoded region with the original text around it, as one buffer: `bytes[decodedFrom, decodedTo)` is the decoded
 * text, before it the original bytes [before, region.start), after it the original bytes [region.end, after).
 */
class RegionView {
  private lineStarts: number[] | undefined;

  private constructor(
    readonly bytes: Buffer,
    readonly decodedFrom: number,
    readonly decodedTo: number,
    private readonly before: number,
    private readonly region: DecodedRegion,
  ) {}

  static of(original: Buffer, region: DecodedRegion): RegionView {
    const before = alignToCharStart(original, Math.max(linesBefore(original, region.start, NEARBY_LINES), region.start - SURROUNDING));
    let after = Math.min(linesAfter(original, Math.max(region.start, region.end - 1), NEARBY_LINES), region.end + SURROUNDING);
    after = Math.max(region.end, alignToCharStart(original, after));
    const bytes = Buffer.concat([original.subarray(before, region.start), region.bytes, original.subarray(region.end, after)]);
    const decodedFrom = region.start - before;
    return new RegionView(bytes, decodedFrom, decodedFrom + region.bytes.length, before, region);
  }

  /** The original offset of byte `i` of the view (the end of the decoded text maps to the region's end). */
  toOriginal(i: number): number {
    if (i < this.decodedFrom) return this.before + i;
    if (i <= this.decodedTo) return this.region.origin[i - this.decodedFrom];
    return this.region.end + (i - this.decodedTo);
  }

  /**
   * Byte offset in the view of a 1-based line and column (UTF-16 code units), as detectFragment reported it. Asked
   * in ascending order (findings come sorted), it counts on from the last answer, so a long line is decoded once.
   */
  byteOffsetOf(line: number, column: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let at = this.bytes.indexOf(0x0a); at >= 0; at = this.bytes.indexOf(0x0a, at + 1)) this.lineStarts.push(at + 1);
    }
    const cursor = this.cursor;
    if (!cursor || cursor.line !== line || cursor.column > column) {
      const lineStart = this.lineStarts[line - 1] ?? this.bytes.length;
      const lineEnd = line < this.lineStarts.length ? this.lineStarts[line] : this.bytes.length;
      this.cursor = { line, column: 1, byte: lineStart, text: this.bytes.toString('utf8', lineStart, lineEnd), charAt: 0 };
    }
    const c = this.cursor!;
    const next = c.charAt + (column - c.column);
    c.byte += Buffer.byteLength(c.text.slice(c.charAt, next));
    c.charAt = next;
    c.column = column;
    return c.byte;
  }

  private cursor: { line: number; column: number; byte: number; text: string; charAt: number } | undefined;
}

/** Where a fragment sits inside its unit, when it is not the unit's own text: an archive member, a binary's strings. */
export interface InnerPlace {
  member?: string;
  /** Printable strings of a binary: lines and columns are not the unit's. */
  strings?: boolean;
}

/**
 * Detection of one fragment into `out`: the one place the engine calls detectFragment, on whichever thread, through
 * the decode stage (src/engine/decode-stage.ts), so every source and thread gets decoded keys. Archive members and
 * binary strings (binary-content.ts) come through here too, with `inner` saying where they are.
 */
export function detectInto(out: ScanOutcome, fragment: Fragment, rules: readonly Rule[], options: DetectOptions, key = fragment.path, inner?: InnerPlace): void {
  const detected = detectWithDecoding(fragment, rules, options, options.stages?.decode !== false);
  out.suppressed += detected.suppressed;
  const member = inner?.member;
  const where = member !== undefined ? { member } : {};
  if (detected.stopped) {
    // A budget stop inside a member or a binary's strings has no line of the unit to name: said as a problem of it.
    if (inner) out.unitProblems.push({ severity: 'warning', path: key, ...where, message: 'too dense to scan whole (work budget): keys can be missed' });
    else out.overBudget.push({ path: key, ...detected.stopped });
  }
  if (detected.decodeIncomplete) out.unitProblems.push({ severity: 'warning', path: key, ...where, message: `${detected.decodeIncomplete}; encoded keys can be missed` });
  for (const finding of detected.findings) out.findings.push(member !== undefined ? { ...finding, member } : finding);
}

