/**
 * Decoders: find keys that are not plain text in a fragment (percent-encoded, base64, `\u` / `\x` escapes, HTML
 * entities) and hand the engine decoded regions that point back into the original bytes.
 *
 * Interface. `decodeFragment(bytes)` → `{ regions, decodedBytes, capped? }`. A region is plain data (it can cross a
 * worker boundary): `chain` (outermost first, `base64>percent` = base64 of percent-encoded text), `start`/`end` (the
 * encoded span in the original bytes), `bytes` (decoded) and `origin[i]` (original byte offset of decoded byte `i`).
 * The engine scans `bytes` as a fragment of its own and reports a finding at `origin[finding start]`, with
 * `chainName(region)` as how it was encoded. Each decoder is a module of its own with one contract (`Decoder`).
 *
 * Where it looks. Only where cheap prefilters say a key could be encoded, each decoder's `firstCandidate`, a search
 * that allocates nothing: text with nothing encoded (almost every file) costs those searches and no generator,
 * closure or string. base64: runs of 40+ characters (an AccessKey secret is 40 in base64, `sk-` + 32 hex 48; an
 * AccessKey ID alone, 32, is not looked for), found by a skipping search that reads about one byte in five of code,
 * and decoded only when their first groups look like base64 of text (drops lockfile hashes and hex digests without
 * decoding); a run that ends its line and is whole groups is decoded together with the lines that continue it
 * (wrapped base64: `base64`'s 76 columns, PEM's 64, indented or not), so a key across a line break is found. Escapes: a native `indexOf` for what an escape of a key character starts with (`%`, `\u00`, `\x`, `&#`)
 * and a byte check of what follows; only when an escape stands for a key character (a letter, digit, `-`, `_`, `.`:
 * escaped delimiters before a plain key are the rules' left edge, found in place) is the text converted and a regex
 * run, from the first escape on; windows of 256 bytes around `%XX`, `\uXXXX`/`\xXX` and `&#…;`/`&quot;`-style
 * escapes, cut to the escape's line, each decoded only if one of its escapes stands for a key character.
 *
 * What it keeps. A region whose decoded bytes read as text (≤ 5% control bytes, ≥ 60% printable ASCII) and hold a
 * rule keyword (from `builtinRules`, not copied); for escape windows, only a keyword within reach of a replaced
 * escape, so a plain key beside an unrelated `%20` is not reported twice. Also a base64 value of the original text
 * (at most 512 decoded bytes) with a rule keyword before it on its line: `ALIBABA_CLOUD_ACCESS_KEY_SECRET: <base64>`
 * in a Kubernetes Secret, whose decoded value holds no keyword. The same key can still come out of two
 * chains (`base64` and `base64>percent` of `%22sk-…`): the engine keeps one finding per original span and rule.
 *
 * Bounds. At most `MAX_DEPTH` = 2 layers (a text region of layer 1 of 24+ bytes is decoded again). Decoded bytes
 * per fragment, every layer and decoder counted, at most `MAX_DECODED_BYTES` = 8 MiB; past it decoding stops and
 * `capped` names the cap (gitleaks once used 24 GB decoding one file: a cap on the sum, not per region, is what
 * prevents that). A span is at most 768 KiB (base64 runs are decoded in 1 MiB-character chunks; escape windows
 * span at most 64 KiB and never overlap), so memory stays under the cap plus one span, plus a 4-byte origin per
 * kept byte. A key across a chunk or window boundary is not seen whole (a known limit of those bounds).
 *
 * Cost (test/decode/measure-*.ts, compiled, one core, least of three runs on a shared machine): 800–1,000 MB/s on
 * source text with nothing encoded, 450–500 MB/s on minified bundles, about 50 MB/s on Kubernetes Secrets that are
 * base64 on every line (each value is decoded and looked into); on the bench's small tree (200 MB of text) 0.23 s
 * CPU against 1.6–1.75 s for today's whole single-threaded scan, 13–15%.
 */
import { PRIME_AFTER } from '../detect/detect';
import { base64Decoder } from './base64';
import { htmlEntityDecoder } from './html-entity';
import { keywordOffsets, RULE_KEYWORDS } from './keywords';
import { percentDecoder } from './percent';
import { isMostlyText } from './printable';
import type { DecodedRegion, DecodedSpan, DecodeOptions, DecodeOutcome, Decoder, Encoding } from './types';
import { unicodeEscapeDecoder } from './unicode-escape';

export type { DecodedRegion, DecodedSpan, DecodeOptions, DecodeOutcome, Decoder, Encoding } from './types';
export { RULE_KEYWORDS } from './keywords';

export const MAX_DEPTH = 2;
export const MAX_DECODED_BYTES = 8 * 1024 * 1024;
/** Decoded bytes after a keyword in which a replaced escape makes the keyword "decoded" (the longest key and then some). */
const KEY_REACH = 160;

/** The shortest key, an AccessKey ID (`LTAI` + 20). */
const MIN_KEY_LENGTH = 24;

const RULE_NEEDLES = RULE_KEYWORDS.map((k) => Buffer.from(k, 'latin1'));

const needleCache = new WeakMap<readonly string[], Buffer[]>();

/** Keywords as buffers, made once per keyword list (the engine passes the same list for every fragment). */
function needlesOf(keywords: readonly string[]): Buffer[] {
  let needles = needleCache.get(keywords);
  if (!needles) needleCache.set(keywords, (needles = keywords.map((k) => Buffer.from(k, 'latin1'))));
  return needles;
}

export const DECODERS: readonly Decoder[] = [base64Decoder, percentDecoder, unicodeEscapeDecoder, htmlEntityDecoder];

/** `base64>percent`: how a region was encoded, for the `decoded` field of a finding. */
export function chainName(region: Pick<DecodedRegion, 'chain'>): string {
  return region.chain.join('>');
}

interface Layer {
  bytes: Buffer;
  chain: Encoding[];
  /** Maps an offset in `bytes` to the original fragment. */
  toOriginal: (i: number) => number;
  /** Offsets where this layer replaced escapes; undefined when every byte is decoded (the original: none). */
  changed?: Int32Array;
  original: boolean;
}

/**
 * Text that takes the searches' rarer paths (runs with one and two `=`, a run of 4k+1 characters, a run that is not
 * text, escapes of letters in each syntax, an escape cut by the end), decoded a few times in each thread, so that V8
 * has seen every path before it optimises the searches. Without it, the first fragment that takes a new
 * path throws the optimised code away, and the compiler runs again: on babel's tree that recompiling cost as much
 * CPU as the searches. It holds no keyword, so it yields no region. It runs at a thread's PRIME_AFTER-th fragment
 * (about 10 ms, cold), so a pre-commit hook's few files never pay for it.
 */
const PRIMER = Buffer.from(
  [
    `a: ${Buffer.from('plain words that fill a base64 run of text, then padding').toString('base64')}`,
    `b: ${Buffer.from('plain words that fill a base64 run of text and some more!!').toString('base64')}`,
    `c: ${Buffer.from('plain words that fill a base64 run, url-safe, no padding?').toString('base64url')}x`,
    `d: ${'0123456789abcdef'.repeat(4)}`,
    'e: %61%62%63 \\u0061\\x62 &#97;&#x62;&quot; %zz \\q &amp; %6',
  ].join('\n'),
  'latin1',
);
/** Calls of the primer: V8 keeps no type feedback for a function before it has run a few times. */
const PRIMING_CALLS = 12;
let decodes = 0;

export function decodeFragment(bytes: Buffer, options: DecodeOptions = {}): DecodeOutcome {
  if (decodes < PRIME_AFTER && ++decodes === PRIME_AFTER) {
    for (let i = 0; i < PRIMING_CALLS; i++) decodeFragment(PRIMER);
  }
  // Where each decoder would start, found by searches that allocate nothing: text with nothing encoded (almost all
  // text) stops here, before any generator, closure or string is made. The original layer's searches are not redone.
  let starts: Int32Array | undefined;
  for (let k = 0; k < DECODERS.length; k++) {
    const at = DECODERS[k].firstCandidate(bytes);
    if (at >= 0) (starts ??= new Int32Array(DECODERS.length).fill(-1))[k] = at;
  }
  if (!starts) return { regions: [], decodedBytes: 0 };
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const cap = options.maxDecodedBytes ?? MAX_DECODED_BYTES;
  const needles = options.keywords ? needlesOf(options.keywords) : RULE_NEEDLES;
  const outcome: DecodeOutcome = { regions: [], decodedBytes: 0 };

  const visit = (layer: Layer, layerStarts?: Int32Array): void => {
    for (let k = 0; k < DECODERS.length; k++) {
      const decoder = DECODERS[k];
      const from = layerStarts ? layerStarts[k] : decoder.firstCandidate(layer.bytes);
      if (from < 0) continue;
      for (const span of decoder.decode(layer.bytes, from)) {
        if (outcome.decodedBytes + span.bytes.length > cap) {
          outcome.capped = `decoding stopped at the cap of ${cap} decoded bytes per fragment (maxDecodedBytes)`;
          return;
        }
        outcome.decodedBytes += span.bytes.length;
        // Below the first layer, a span must read something the layer above changed, or it repeats a region of it.
        if (!layer.original && layer.changed && !anyIn(layer.changed, span.start, span.end)) continue;
        if (!isMostlyText(span.bytes)) continue;
        const chain = [...layer.chain, decoder.encoding];
        const toOriginal = (i: number): number => layer.toOriginal(span.originOf(i));
        if (holdsDecodedKeyword(span, needles, layer) || isNamedValue(span, needles, layer)) outcome.regions.push(regionOf(span, chain, toOriginal, layer));
        // A decoded span shorter than the shortest key cannot hold an encoded one either.
        if (chain.length < maxDepth && span.bytes.length >= MIN_KEY_LENGTH) {
          visit({ bytes: span.bytes, chain, toOriginal, changed: span.changed, original: false });
        }
        if (outcome.capped) return;
      }
    }
  };
  visit({ bytes, chain: [], toOriginal: (i) => i, original: true }, starts);
  outcome.regions.sort((a, b) => a.start - b.start || a.end - b.end);
  return outcome;
}

/** Decoded bytes at most of a value whose name, before it on its line, is what makes it a key (a value, not a document). */
const NAMED_VALUE_BYTES = 512;
/** Bytes before a value in which its name is looked for. */
const NAME_REACH = 256;

/**
 * Whether a base64 value of the original text has a rule keyword before it on its line: a Kubernetes Secret's
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET: <base64>`, where the decoded value (30 letters and digits) holds no keyword of its
 * own and the name is what the AccessKey secret rule reads. Detection then judges the value with the name in view,
 * as it judges a plain one.
 */
function isNamedValue(span: DecodedSpan, needles: readonly Buffer[], layer: Layer): boolean {
  if (!layer.original || span.changed || span.bytes.length > NAMED_VALUE_BYTES) return false;
  const bytes = layer.bytes;
  const from = Math.max(bytes.lastIndexOf(0x0a, span.start - 1) + 1, span.start - NAME_REACH);
  return keywordOffsets(bytes.subarray(from, span.start), needles).length > 0;
}

function holdsDecodedKeyword(span: DecodedSpan, needles: readonly Buffer[], layer: Layer): boolean {
  const hits = keywordOffsets(span.bytes, needles);
  if (hits.length === 0) return false;
  // Every byte differs from the original when this span or the layer above is base64.
  if (!span.changed || (!layer.original && !layer.changed)) return true;
  const changed = span.changed;
  return hits.some((k) => anyIn(changed, k - 1, k + KEY_REACH));
}

/** Whether ascending `offsets` hold a value in [from, to). */
function anyIn(offsets: Int32Array, from: number, to: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo] < to;
}

function regionOf(span: DecodedSpan, chain: Encoding[], toOriginal: (i: number) => number, layer: Layer): DecodedRegion {
  const origin = new Int32Array(span.bytes.length + 1);
  for (let i = 0; i <= span.bytes.length; i++) origin[i] = toOriginal(i);
  return { chain, start: layer.toOriginal(span.start), end: layer.toOriginal(span.end), bytes: span.bytes, origin };
}
