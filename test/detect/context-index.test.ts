import fc from 'fast-check';
import { assignmentBlock } from '../../src/detect/assignment-block';
import { ContextIndex, contextHitsOf, NEARBY_LINES, type ContextHit } from '../../src/detect/context';
import { countNewlines, linesAfter, linesBefore, lineEndOf, lineStartOf } from '../../src/detect/lines';
import type { ContextSignals, ContextTier } from '../../src/types';

/** The definition of the signals, looking at every hit for one candidate (what ContextIndex did before it was indexed). */
function signalsByDefinition(bytes: Buffer, hits: ContextHit[], start: number, end: number): ContextSignals {
  const lineStart = lineStartOf(bytes, start);
  const lineEnd = lineEndOf(bytes, end);
  const nearStart = linesBefore(bytes, start, NEARBY_LINES);
  const nearEnd = linesAfter(bytes, end, NEARBY_LINES);
  const tierOf = (hit: ContextHit): ContextTier =>
    hit.start >= lineStart && hit.end <= lineEnd ? 3 : hit.start >= nearStart && hit.end <= nearEnd ? 2 : 1;
  const linesTo = (hit: ContextHit): number =>
    hit.start < lineStart ? countNewlines(bytes, hit.start, lineStart) : countNewlines(bytes, lineEnd, hit.start) + 0.5;
  let modelStudio: ContextTier = 0;
  let otherVendor: ContextTier = 0;
  let otherVendorName: string | undefined;
  let modelStudioLines = Infinity;
  let otherVendorLines = Infinity;
  let region: string | undefined;
  let regionDistance = Infinity;
  for (const hit of hits) {
    if (hit.end > start && hit.start < end) continue;
    const tier = tierOf(hit);
    if (tier === 2) {
      if (hit.modelStudio) modelStudioLines = Math.min(modelStudioLines, linesTo(hit));
      else otherVendorLines = Math.min(otherVendorLines, linesTo(hit));
    }
    if (hit.modelStudio) {
      if (tier > modelStudio) modelStudio = tier;
      if (hit.region && Math.abs(hit.start - start) < regionDistance) {
        regionDistance = Math.abs(hit.start - start);
        region = hit.region;
      }
    } else if (tier > otherVendor) {
      otherVendor = tier;
      otherVendorName = hit.vendor;
    }
  }
  const signals: ContextSignals = {
    modelStudio,
    otherVendor,
    otherVendorName,
    ...(modelStudio === 2 ? { modelStudioLines } : {}),
    ...(otherVendor === 2 ? { otherVendorLines } : {}),
    region,
  };
  if (modelStudio >= 2) {
    const above: number[] = [];
    for (let k = 1; k <= NEARBY_LINES && (above.at(-1) ?? lineStart) > 0; k++) above.push(linesBefore(bytes, lineStart, k));
    const below: number[] = [];
    for (let k = 1; k <= NEARBY_LINES && (below.at(-1) ?? lineEnd) < bytes.length; k++) below.push(linesAfter(bytes, lineEnd, k));
    const [from, to] = assignmentBlock(bytes, lineStart, lineEnd, above, below);
    for (const hit of hits) {
      if (!hit.endpoint || (hit.end > start && hit.start < end) || hit.start < from || hit.end > to) continue;
      if (hit.modelStudio) signals.modelStudioEndpoint = true;
      else signals.otherVendorEndpoint = true;
    }
  }
  return signals;
}

const WORDS = ['qwen', 'deepseek', 'api.deepseek.com', '/compatible-mode/v1', '\n\n', '  ', 'API_KEY', ':', 'dashscope.aliyuncs.com', 'dashscope-intl.aliyuncs.com', 'x.cn-hongkong.dashscope.aliyuncs.com', 'moonshot', 'Bailian', 'zhipu', 'KEY', ' ', ' ', '\n', '\n', 'abc', '='];

describe('ContextIndex', () => {
  it('gives the signals of the definition (every hit looked at) for spans in ascending order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...WORDS), { maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 12 }),
        (words, spans) => {
          const bytes = Buffer.from(words.join(''), 'latin1');
          if (bytes.length === 0) return;
          const hits = contextHitsOf(bytes);
          const index = new ContextIndex(bytes);
          const sorted = spans.map(([at, len]) => [at % bytes.length, len] as const).sort((a, b) => a[0] - b[0]);
          for (const [start, len] of sorted) {
            const end = Math.min(bytes.length, start + len);
            expect(index.signalsFor(start, end)).toEqual(signalsByDefinition(bytes, hits, start, end));
          }
        },
      ),
      { numRuns: 3000, seed: 10 },
    );
  });
});
