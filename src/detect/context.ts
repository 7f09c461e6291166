import type { ContextSignals, ContextTier } from '../types';
import { countNewlines, linesAfter, linesBefore, lineEndOf, lineStartOf } from './lines';
import { regionOfHost } from './regions';

/** Lines above and below a key that count as "nearby" context. */
export const NEARBY_LINES = 3;

interface ContextHit {
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
    // A host starts where a label starts (the lookbehind), and labels are bounded: without both, every position
    // of a long run of letters and digits would re-scan the run to its end (quadratic: minutes on a 1 MB line).
    '(?<host>(?<![a-z0-9.-])(?:[a-z0-9-]{1,63}\\.){0,4}(?:dashscope(?:-intl|-us)?|maas)\\.aliyuncs\\.com)',
    '(?<ms>dashscope|bailian|tongyi|qwen|compatible-mode/v1|apps/anthropic|alibaba_(?:coding|token)_plan|model[ _-]?studio)',
    '(?<other>deepseek|baichuan|moonshot|siliconflow|openrouter|minimax|zhipu|bigmodel)',
  ].join('|'),
  'gi',
);

/** How messages name the other vendors. */
const VENDOR_NAMES: Record<string, string> = {
  deepseek: 'DeepSeek',
  baichuan: 'Baichuan',
  moonshot: 'Moonshot',
  siliconflow: 'SiliconFlow',
  openrouter: 'OpenRouter',
  minimax: 'MiniMax',
  zhipu: 'Zhipu',
  bigmodel: 'Zhipu',
};

/** The context words of one buffer, found once, the first time a candidate in it needs them. */
export class ContextIndex {
  private hits: ContextHit[] | undefined;

  constructor(private readonly bytes: Buffer) {}

  private allHits(): ContextHit[] {
    if (this.hits) return this.hits;
    const hits: ContextHit[] = [];
    // latin1 maps bytes 1:1 to characters, so match indices are byte offsets.
    const text = this.bytes.toString('latin1');
    for (const m of text.matchAll(CONTEXT_PATTERN)) {
      const start = m.index;
      const end = start + m[0].length;
      const g = m.groups ?? {};
      if (g.host) hits.push({ start, end, modelStudio: true, region: regionOfHost(g.host) });
      else if (g.ms) hits.push({ start, end, modelStudio: true });
      else hits.push({ start, end, modelStudio: false, vendor: VENDOR_NAMES[g.other.toLowerCase()] ?? g.other });
    }
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
