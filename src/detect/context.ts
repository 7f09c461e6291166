import type { ContextSignals, ContextTier } from '../types';
import { linesAfter, linesBefore, lineEndOf, lineStartOf } from './lines';
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

const DOT = 0x2e;

function isLabelChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

/** Start of the subdomain labels (`[a-z0-9-]+.`, repeated) before a host's fixed part at `at`, not before `floor`. */
function hostStart(text: string, at: number, floor: number): number {
  let start = at;
  while (start - 1 > floor && text.charCodeAt(start - 1) === DOT) {
    let i = start - 1;
    while (i > floor && isLabelChar(text.charCodeAt(i - 1))) i--;
    if (i === start - 1) break; // an empty label
    start = i;
  }
  return start;
}

/**
 * Every context word of `text` with its span, as one leftmost-first pass of the full pattern (host with its
 * subdomains first) would find them: a host's labels swallow words inside them (`qwen.dashscope.aliyuncs.com`
 * is one host), but never a word that started before them.
 */
export function contextHits(text: string): ContextHit[] {
  const hits: ContextHit[] = [];
  for (const m of text.matchAll(CONTEXT_PATTERN)) {
    let start = m.index;
    const end = start + m[0].length;
    const g = m.groups ?? {};
    if (g.host) {
      start = hostStart(text, start, 0);
      while (hits.length > 0 && hits[hits.length - 1].end > start) {
        const last = hits[hits.length - 1];
        if (last.start >= start) {
          hits.pop();
          continue;
        }
        start = hostStart(text, m.index, last.end);
        break;
      }
      hits.push({ start, end, modelStudio: true, region: regionOfHost(text.slice(start, end)) });
    } else if (g.ms) hits.push({ start, end, modelStudio: true });
    else hits.push({ start, end, modelStudio: false, vendor: g.other.toLowerCase() });
  }
  return hits;
}

/** The context words of one buffer, found once, the first time a candidate in it needs them. */
export class ContextIndex {
  private hits: ContextHit[] | undefined;

  constructor(private readonly bytes: Buffer) {}

  private allHits(): ContextHit[] {
    if (this.hits) return this.hits;
    // latin1 maps bytes 1:1 to characters, so match indices are byte offsets.
    const hits = contextHits(this.bytes.toString('latin1'));
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
    let region: string | undefined;
    let regionDistance = Infinity;
    for (const hit of this.allHits()) {
      if (hit.end > start && hit.start < end) continue; // inside the secret itself
      const tier = tierOf(hit);
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
    return { modelStudio, otherVendor, otherVendorName, region };
  }
}
