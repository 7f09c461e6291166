import { builtinRules } from '../../rules';

/**
 * Every built-in rule's keywords, with a keyword that contains a shorter one dropped (`sk-ws-` holds `sk-`): the
 * decoder keeps a region only when one of these occurs in it, as the engine would find nothing else.
 */
export const RULE_KEYWORDS: readonly string[] = minimalKeywords(builtinRules.flatMap((rule) => rule.keywords));

export function minimalKeywords(keywords: readonly string[]): string[] {
  const unique = [...new Set(keywords)];
  return unique.filter((k) => !unique.some((other) => other !== k && k.includes(other)));
}

/** Below this length a JavaScript loop beats one native `indexOf` per keyword (each call has a fixed cost). */
const SHORT = 256;

/** Offsets in `bytes` where any keyword starts, ascending. */
export function keywordOffsets(bytes: Buffer, needles: readonly Buffer[]): number[] {
  if (bytes.length <= SHORT) return keywordOffsetsShort(bytes, needles);
  const hits: number[] = [];
  for (const needle of needles) {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) hits.push(at);
  }
  return hits.sort((a, b) => a - b);
}

/** The same for a short span: one pass, comparing a keyword only where its first byte is. */
function keywordOffsetsShort(bytes: Buffer, needles: readonly Buffer[]): number[] {
  const hits: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    for (const needle of needles) {
      if (needle[0] !== b || i + needle.length > bytes.length) continue;
      let k = 1;
      while (k < needle.length && bytes[i + k] === needle[k]) k++;
      if (k === needle.length) {
        hits.push(i);
        break;
      }
    }
  }
  return hits;
}
