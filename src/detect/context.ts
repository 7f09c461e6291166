import type { ContextSignals, ContextTier } from '../types';
import { assignmentBlock } from './assignment-block';
import { lineEndOf, LineCursor, type LinesAround } from './lines';
import { regionOfHost } from './regions';

/** Lines above and below a key that count as "nearby" context. */
export const NEARBY_LINES = 3;

export interface ContextHit {
  start: number;
  end: number;
  modelStudio: boolean;
  vendor?: string;
  region?: string;
  /** A place keys are sent to: a Model Studio host or base-URL path, or another vendor's host (`api.deepseek.com`). */
  endpoint?: boolean;
}

/*
 * Words that say "Model Studio" (hosts, env names, SDK and class names, qwen models, base-URL paths, see
 * ../shared/model-studio-keys.md) and words of vendors whose keys look the same (DeepSeek's are identical in form).
 */
const CONTEXT_PATTERN = new RegExp(
  [
    // A host's subdomain labels are found by hostStart, not here: a leading `(?:[a-z0-9-]+\\.)*` made the regex
    // try a loop at every letter (quadratic on long runs: 20 s for one 20 MB file, and 4x slower on any text).
    '(?<host>(?:dashscope(?:-intl|-us)?|maas)\\.aliyuncs\\.com)',
    '(?<ms>dashscope|bailian|tongyi|qwen|compatible-mode/v1|apps/anthropic|alibaba_(?:coding|token)_plan|model[ _-]?studio)',
    '(?<other>deepseek|baichuan|moonshot|siliconflow|openrouter|minimax|zhipu|bigmodel)',
  ].join('|'),
  'gi',
);

/** How messages name the other vendors. */
export const VENDOR_NAMES: Record<string, string> = {
  deepseek: 'DeepSeek',
  baichuan: 'Baichuan',
  moonshot: 'Moonshot',
  siliconflow: 'SiliconFlow',
  openrouter: 'OpenRouter',
  minimax: 'MiniMax',
  zhipu: 'Zhipu',
  bigmodel: 'Zhipu',
};

const DOT = 0x2e;

/** Model Studio base-URL paths: where a key is sent, as a host is. */
const ENDPOINT_PATHS = new Set(['compatible-mode/v1', 'apps/anthropic']);
/** The top-level domains of the other vendors' API hosts (`api.deepseek.com`, `openrouter.ai`, `api.moonshot.cn`). */
const VENDOR_HOST_TAIL = /^(?:-ai)?\.(?:com|cn|ai|chat)(?![A-Za-z0-9_-])/;

/** True when the vendor word ending at `end` is part of a host name. */
function isVendorHost(bytes: Buffer, end: number): boolean {
  return VENDOR_HOST_TAIL.test(bytes.toString('latin1', end, Math.min(bytes.length, end + 8)));
}

function isLabelChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

/** Start of the subdomain labels (`[a-z0-9-]+.`, repeated) before a host's fixed part at `at`, not before `floor`. */
function hostStart(bytes: Buffer, at: number, floor: number): number {
  let start = at;
  while (start - 1 > floor && bytes[start - 1] === DOT) {
    let i = start - 1;
    while (i > floor && isLabelChar(bytes[i - 1])) i--;
    if (i === start - 1) break; // an empty label
    start = i;
  }
  return start;
}

/** Bytes decoded at once: below Node's ~1 MB limit for heap strings (bigger ones are external and linger until a GC). */
const SLICE_BYTES = 512 * 1024;
/** Enough to finish a match that starts just before a slice's end (the longest fixed part is 27 characters). */
const SLICE_TAIL = 256;

/**
 * Every context word of `bytes` with its span (byte offsets), as one leftmost-first pass of the full pattern
 * (host with its subdomains first) over the whole buffer would find them: a host's labels swallow words inside
 * them (`qwen.dashscope.aliyuncs.com` is one host), but never a word that started before them. The buffer is
 * decoded in slices, each match found in the slice where it starts.
 */
export function contextHitsOf(bytes: Buffer, sliceBytes = SLICE_BYTES): ContextHit[] {
  const hits: ContextHit[] = [];
  let from = 0;
  while (from < bytes.length) {
    const sliceEnd = Math.min(bytes.length, from + sliceBytes);
    // latin1 maps bytes 1:1 to characters, so match indices are byte offsets from `from`.
    const text = bytes.toString('latin1', from, Math.min(bytes.length, sliceEnd + SLICE_TAIL));
    let next = sliceEnd;
    for (const m of text.matchAll(CONTEXT_PATTERN)) {
      const at = from + m.index;
      if (at >= sliceEnd) break; // the next slice finds it
      const end = at + m[0].length;
      next = Math.max(next, end);
      const g = m.groups ?? {};
      if (g.host) {
        let start = hostStart(bytes, at, 0);
        while (hits.length > 0 && hits[hits.length - 1].end > start) {
          const last = hits[hits.length - 1];
          if (last.start >= start) {
            hits.pop();
            continue;
          }
          start = hostStart(bytes, at, last.end);
          break;
        }
        hits.push({ start, end, modelStudio: true, endpoint: true, region: regionOfHost(bytes.toString('latin1', start, end)) });
      } else if (g.ms) hits.push({ start: at, end, modelStudio: true, ...(ENDPOINT_PATHS.has(g.ms.toLowerCase()) ? { endpoint: true } : {}) });
      else {
        const vendor = VENDOR_NAMES[g.other.toLowerCase()] ?? g.other;
        hits.push({ start: at, end, modelStudio: false, vendor, ...(isVendorHost(bytes, end) ? { endpoint: true } : {}) });
      }
    }
    from = next;
  }
  return hits;
}

/** contextHitsOf for a string of single-byte characters. */
export function contextHits(text: string, sliceBytes?: number): ContextHit[] {
  return contextHitsOf(Buffer.from(text, 'latin1'), sliceBytes);
}

/** First index in [0, n) whose value is >= `x` (or > `x` when `strict`), for ascending values. */
function lowerBound(values: Int32Array | number[], n: number, x: number, strict = false): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? values[mid] <= x : values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The hits of one kind (Model Studio or another vendor) as counts and "next one at or after" indices. */
class KindIndex {
  /** count[i]: hits of this kind among the first i. */
  readonly count: Int32Array;
  /** next[i]: index of the first hit of this kind at or after i (n when none). */
  readonly next: Int32Array;
  /** prev[i]: index of the last hit of this kind before i (-1 when none). */
  readonly prev: Int32Array;

  constructor(hits: readonly ContextHit[], isKind: (hit: ContextHit) => boolean) {
    const n = hits.length;
    this.count = new Int32Array(n + 1);
    this.next = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.count[i + 1] = this.count[i] + (isKind(hits[i]) ? 1 : 0);
    this.next[n] = n;
    for (let i = n - 1; i >= 0; i--) this.next[i] = isKind(hits[i]) ? i : this.next[i + 1];
    this.prev = new Int32Array(n + 1);
    this.prev[0] = -1;
    for (let i = 0; i < n; i++) this.prev[i + 1] = isKind(hits[i]) ? i : this.prev[i];
  }

  /** Hits of this kind with index in [a, b) but not in [c, d) (the hits inside the secret). */
  countIn(a: number, b: number, c: number, d: number): number {
    if (b <= a) return 0;
    let n = this.count[b] - this.count[a];
    const lo = Math.max(a, c);
    const hi = Math.min(b, d);
    if (lo < hi) n -= this.count[hi] - this.count[lo];
    return n;
  }

  /** First hit of this kind with index in [a, b) but not in [c, d), or -1. */
  firstIn(a: number, b: number, c: number, d: number): number {
    if (b <= a) return -1;
    let i = this.next[a];
    if (i >= c && i < d) i = this.next[d];
    return i < b ? i : -1;
  }

  /** Last hit of this kind with index in [a, b) but not in [c, d), or -1. */
  lastIn(a: number, b: number, c: number, d: number): number {
    if (b <= a) return -1;
    let i = this.prev[b];
    if (i >= c && i < d) i = this.prev[c];
    return i >= a ? i : -1;
  }
}

/**
 * The context words of one buffer, found once, the first time a candidate in it needs them, and indexed so that
 * each candidate's signals take a few binary searches: looking at every hit for every candidate took 23 s for a
 * file of 40,000 keys (each line naming DASHSCOPE_API_KEY).
 */
export class ContextIndex {
  private index: HitIndex | undefined;
  private readonly cursor: LineCursor;

  constructor(private readonly bytes: Buffer) {
    this.cursor = new LineCursor(bytes, NEARBY_LINES);
  }

  private hitIndex(): HitIndex {
    if (!this.index) this.index = new HitIndex(contextHitsOf(this.bytes));
    return this.index;
  }

  /** Signals for a secret spanning bytes [start, end); cheapest when asked in ascending order of `start`. */
  signalsFor(start: number, end: number): ContextSignals {
    const around = this.cursor.at(start);
    const { lineStart, above } = around;
    let { lineEnd, below } = around;
    if (end > lineEnd) {
      // A secret over several lines (a custom rule's pattern may allow it): its last line counts.
      lineEnd = lineEndOf(this.bytes, end);
      below = [];
      for (let e = lineEnd; below.length < NEARBY_LINES && e < this.bytes.length; ) below.push((e = lineEndOf(this.bytes, e + 1)));
    }
    const nearStart = above.length ? above[above.length - 1] : lineStart;
    const nearEnd = below.length ? below[below.length - 1] : lineEnd;
    const hits = this.hitIndex();
    const signals = hits.signals(start, end, { lineStart, lineEnd, above, below }, nearStart, nearEnd);
    // Where the key is sent matters only when a Model Studio hint is close: the block lies within the nearby lines.
    if (signals.modelStudio >= 2) {
      if (this.block?.lineStart !== lineStart || this.block.lineEnd !== lineEnd) {
        const [from, to] = assignmentBlock(this.bytes, lineStart, lineEnd, above, below);
        this.block = { lineStart, lineEnd, from, to };
      }
      const { modelStudio, otherVendor } = hits.endpointsIn(this.block.from, this.block.to, start, end);
      if (modelStudio) signals.modelStudioEndpoint = true;
      if (otherVendor) signals.otherVendorEndpoint = true;
    }
    return signals;
  }

  /** The assignment block of the last line asked about: candidates on one line share it. */
  private block: { lineStart: number; lineEnd: number; from: number; to: number } | undefined;
}

/** Context hits sorted by start; they never overlap, so their ends ascend too. */
class HitIndex {
  private readonly n: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly ms: KindIndex;
  private readonly other: KindIndex;
  private readonly msEndpoint: KindIndex;
  private readonly otherEndpoint: KindIndex;
  /** Indices of the Model Studio hits that name a region. */
  private readonly regional: number[] = [];

  constructor(private readonly hits: ContextHit[]) {
    hits.sort((a, b) => a.start - b.start);
    this.n = hits.length;
    this.starts = Int32Array.from(hits, (h) => h.start);
    this.ends = Int32Array.from(hits, (h) => h.end);
    this.ms = new KindIndex(hits, (h) => h.modelStudio);
    this.other = new KindIndex(hits, (h) => !h.modelStudio);
    this.msEndpoint = new KindIndex(hits, (h) => h.modelStudio && h.endpoint === true);
    this.otherEndpoint = new KindIndex(hits, (h) => !h.modelStudio && h.endpoint === true);
    hits.forEach((h, i) => {
      if (h.modelStudio && h.region) this.regional.push(i);
    });
  }

  signals(start: number, end: number, lines: LinesAround, nearStart: number, nearEnd: number): ContextSignals {
    const { n, starts, ends, ms, other, hits } = this;
    const { lineStart, lineEnd } = lines;
    // Hits inside the secret itself: [c, d).
    const c = lowerBound(ends, n, start, true);
    const d = Math.max(c, lowerBound(starts, n, end));
    // On the secret's line: [a3, b3); within NEARBY_LINES: [a2, b2); elsewhere in the buffer: tier 1.
    const a3 = lowerBound(starts, n, lineStart);
    const b3 = lowerBound(ends, n, lineEnd, true);
    const a2 = lowerBound(starts, n, nearStart);
    const b2 = lowerBound(ends, n, nearEnd, true);
    const tierOf = (kind: KindIndex): ContextTier =>
      kind.countIn(a3, b3, c, d) > 0 ? 3 : kind.countIn(a2, b2, c, d) > 0 ? 2 : kind.countIn(0, n, c, d) > 0 ? 1 : 0;
    const modelStudio = tierOf(ms);
    const otherVendor = tierOf(other);
    // The vendor named is that of the first hit (in text order) at the highest tier.
    let otherVendorName: string | undefined;
    if (otherVendor > 0) {
      const [a, b] = otherVendor === 3 ? [a3, b3] : otherVendor === 2 ? [a2, b2] : [0, n];
      otherVendorName = hits[other.firstIn(a, b, c, d)].vendor;
    }
    const result: ContextSignals = { modelStudio, otherVendor, otherVendorName };
    if (modelStudio === 2) result.modelStudioLines = this.nearestLines(ms, lines, a2, b2, c, d);
    if (otherVendor === 2) result.otherVendorLines = this.nearestLines(other, lines, a2, b2, c, d);
    result.region = this.nearestRegion(start, c, d);
    return result;
  }

  /** Whether endpoints of each kind lie wholly within bytes [from, to), outside the secret [start, end). */
  endpointsIn(from: number, to: number, start: number, end: number): { modelStudio: boolean; otherVendor: boolean } {
    const { n, starts, ends } = this;
    const c = lowerBound(ends, n, start, true);
    const d = Math.max(c, lowerBound(starts, n, end));
    const a = lowerBound(starts, n, from);
    const b = lowerBound(ends, n, to, true);
    return { modelStudio: this.msEndpoint.countIn(a, b, c, d) > 0, otherVendor: this.otherEndpoint.countIn(a, b, c, d) > 0 };
  }

  /**
   * Lines between the secret's line and the nearest hit of a kind within NEARBY_LINES (none is on the line
   * itself when this is asked); a hit below counts half a line more, so above wins a tie.
   */
  private nearestLines(kind: KindIndex, lines: LinesAround, a2: number, b2: number, c: number, d: number): number {
    const { starts, n } = this;
    let best = Infinity;
    const lineFirst = lowerBound(starts, n, lines.lineStart);
    const up = kind.lastIn(a2, Math.min(b2, lineFirst), c, d);
    if (up >= 0) {
      const at = starts[up];
      let k = 1;
      while (k < lines.above.length && at < lines.above[k - 1]) k++;
      best = k;
    }
    const down = kind.firstIn(Math.max(a2, lowerBound(starts, n, lines.lineEnd, true)), b2, c, d);
    if (down >= 0) {
      const at = starts[down];
      let k = 1;
      while (k < lines.below.length && at > lines.below[k - 1]) k++;
      best = Math.min(best, k + 0.5);
    }
    return best;
  }

  /** Region of the Model Studio host nearest the secret's start (outside the secret); the earlier one on a tie. */
  private nearestRegion(start: number, c: number, d: number): string | undefined {
    const { regional, starts, hits } = this;
    const p = lowerBound(regional, regional.length, c);
    const left = p > 0 ? regional[p - 1] : -1;
    const q = lowerBound(regional, regional.length, d);
    const right = q < regional.length ? regional[q] : -1;
    if (left < 0) return right < 0 ? undefined : hits[right].region;
    if (right < 0) return hits[left].region;
    return Math.abs(starts[left] - start) <= Math.abs(starts[right] - start) ? hits[left].region : hits[right].region;
  }
}
