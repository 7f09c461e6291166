import type { ContextSignals, ContextTier } from '../types';
import { countNewlines, linesAfter, linesBefore, lineEndOf, lineStartOf } from './lines';
import { regionOfHost } from './regions';

/** Lines above and below a key that count as "nearby" context. */
export const NEARBY_LINES = 3;

export interface ContextHit {
  start: number;
  end: number;
  modelStudio: boolean;
  vendor?: string;
  region?: string;
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
        hits.push({ start, end, modelStudio: true, region: regionOfHost(bytes.toString('latin1', start, end)) });
      } else if (g.ms) hits.push({ start: at, end, modelStudio: true });
      else hits.push({ start: at, end, modelStudio: false, vendor: VENDOR_NAMES[g.other.toLowerCase()] ?? g.other });
    }
    from = next;
  }
  return hits;
}

/** contextHitsOf for a string of single-byte characters. */
export function contextHits(text: string, sliceBytes?: number): ContextHit[] {
  return contextHitsOf(Buffer.from(text, 'latin1'), sliceBytes);
}

/** The context words of one buffer, found once, the first time a candidate in it needs them. */
export class ContextIndex {
  private hits: ContextHit[] | undefined;

  constructor(private readonly bytes: Buffer) {}

  private allHits(): ContextHit[] {
    if (this.hits) return this.hits;
    const hits = contextHitsOf(this.bytes);
    this.hits = hits;
    return hits;
  }

  /** Signals for a secret spanning bytes [start, end). */
  signalsFor(start: number, end: number): ContextSignals {
    const lineStart = lineStartOf(this.bytes, start);
    const lineEnd = lineEndOf(this.bytes, end);
    const nearStart = linesBefore(this.bytes, start, NEARBY_LINES);
    const nearEnd = linesAfter(this.bytes, end, NEARBY_LINES);
    const tierOf = (hit: ContextHit): ContextTier => {
      if (hit.start >= lineStart && hit.end <= lineEnd) return 3;
      if (hit.start >= nearStart && hit.end <= nearEnd) return 2;
      return 1;
    };
    let modelStudio: ContextTier = 0;
    let otherVendor: ContextTier = 0;
    let otherVendorName: string | undefined;
    let modelStudioLines = Infinity;
    let otherVendorLines = Infinity;
    // Lines between a nearby hint and the secret's line; below counts half a line more, so above wins a tie.
    const linesTo = (hit: ContextHit): number =>
      hit.start < lineStart ? countNewlines(this.bytes, hit.start, lineStart) : countNewlines(this.bytes, lineEnd, hit.start) + 0.5;
    let region: string | undefined;
    let regionDistance = Infinity;
    for (const hit of this.allHits()) {
      if (hit.end > start && hit.start < end) continue; // inside the secret itself
      const tier = tierOf(hit);
      if (tier === 2) {
        const lines = linesTo(hit);
        if (hit.modelStudio) modelStudioLines = Math.min(modelStudioLines, lines);
        else otherVendorLines = Math.min(otherVendorLines, lines);
      }
      if (hit.modelStudio) {
        if (tier > modelStudio) modelStudio = tier;
        if (hit.region) {
          const distance = Math.abs(hit.start - start);
          if (distance < regionDistance) {
            regionDistance = distance;
            region = hit.region;
          }
        }
      } else if (tier > otherVendor) {
        otherVendor = tier;
        otherVendorName = hit.vendor;
      }
    }
    return {
      modelStudio,
      otherVendor,
      otherVendorName,
      ...(modelStudio === 2 ? { modelStudioLines } : {}),
      ...(otherVendor === 2 ? { otherVendorLines } : {}),
      region,
    };
  }
}
