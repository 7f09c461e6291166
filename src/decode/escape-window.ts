import type { DecodedSpan, Decoder, Encoding } from './types';

/**
 * Bytes on either side of an escape that a window takes in: room for the longest key (a signed `sk-ws-` key is
 * about 120 characters) and the words before it that the context rules read.
 */
export const ESCAPE_REACH = 256;

/**
 * Bytes of escapes one window spans at most: a line dense with escapes (a 20 MB percent-encoded dump) becomes
 * windows of 64 KiB, so no span holds more than that; a key across two windows is not seen whole (a known limit).
 */
const MAX_WINDOW = 64 * 1024;

/** One escape syntax. */
export interface EscapeSyntax {
  /**
   * What every escape the windows decode starts with (`%`, `\`; HTML: `&#`, as keys are encoded only by character
   * references): searched natively for the first escape, so text with many lead bytes (`&&` in code) costs no check
   * per byte.
   */
  first: Buffer;
  /**
   * What an escape of a key character (an ASCII letter, digit, `-`, `_`, `.`) starts with, as narrowly as the syntax
   * allows (`\u00` and `\x`: a bundle with 70,000 `\u2581`-style escapes of other characters has few or none), searched
   * natively, each hit checked by `valueAt`. Every syntax has the same shape, so the search's code serves all three.
   */
  keyNeedles: readonly Buffer[];
  /**
   * The code point of the escape at `at` (where `first` is), or -1 when none starts there: a few byte comparisons, no
   * string, and no read past the end of `bytes` (V8 drops optimised code that reads out of bounds).
   */
  valueAt(bytes: Buffer, at: number): number;
  /** Global regex for a single escape, run over the latin1 text from the first escape on. */
  pattern: RegExp;
  /** The bytes an escape stands for; undefined when the match is not one after all. */
  bytesOf(match: RegExpExecArray): readonly number[] | undefined;
}

interface Escape {
  at: number;
  length: number;
  bytes: readonly number[];
}

/**
 * A decoder of one escape syntax. One class for all three, so the search that runs on every fragment is one function
 * that V8 optimises once per thread, not three closures each compiled on their own (measured on babel's tree: the
 * compiler's time for the decoders' searches was as much as the searches themselves).
 */
export class EscapeDecoder implements Decoder {
  constructor(
    readonly encoding: Encoding,
    private readonly syntax: EscapeSyntax,
  ) {}

  firstCandidate(bytes: Buffer): number {
    return firstEscapeIfAnyOfKeyChar(bytes, this.syntax);
  }

  decode(bytes: Buffer, from?: number): Iterable<DecodedSpan> {
    return decodeEscapeWindows(bytes, this.syntax, from);
  }
}

/**
 * Windows around clusters of escapes, each decoded. A window is cut to the escapes' line and reaches
 * `ESCAPE_REACH` bytes beyond its first and last escape; escapes less than two reaches apart share a window, so
 * windows never overlap. Bytes with no escape cost one native `indexOf` pass over the lead byte plus a check per
 * lead byte found; from the first escape on, one regex pass, and each byte is copied into at most one window.
 */
export function* decodeEscapeWindows(bytes: Buffer, syntax: EscapeSyntax, from?: number): Generator<DecodedSpan> {
  // No escape of a key character, no window to decode (see revealsKeyText): most code stops here, before any string.
  const first = from ?? firstEscapeIfAnyOfKeyChar(bytes, syntax);
  if (first < 0) return;
  const text = bytes.toString('latin1');
  const pattern = new RegExp(syntax.pattern.source, 'g');
  pattern.lastIndex = first;
  let cluster: Escape[] = [];
  let lineEnd = -1;
  let previousEnd = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const decoded = syntax.bytesOf(m);
    if (!decoded) {
      pattern.lastIndex = m.index + 1;
      continue;
    }
    const escape = { at: m.index, length: m[0].length, bytes: decoded };
    const last = cluster[cluster.length - 1];
    const full = last && escape.at - cluster[0].at > MAX_WINDOW;
    if (last && (full || escape.at > lineEnd || escape.at - (last.at + last.length) > 2 * ESCAPE_REACH)) {
      // A window cut for size ends where the next one's first escape starts, so no escape is decoded twice.
      if (revealsKeyText(cluster)) {
        const span = decodeWindow(text, cluster, previousEnd, full ? escape.at : text.length);
        previousEnd = span.end;
        yield span;
      }
      cluster = [];
    }
    if (cluster.length === 0) {
      lineEnd = text.indexOf('\n', escape.at);
      if (lineEnd < 0) lineEnd = text.length;
    }
    cluster.push(escape);
  }
  if (cluster.length > 0 && revealsKeyText(cluster)) yield decodeWindow(text, cluster, previousEnd, text.length);
}

/** Whether the byte can be part of a keyword or a key: an ASCII letter or digit, `-`, `_` or `.`. */
function isKeyByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e;
}

/**
 * Whether decoding the escapes could show key text that the plain scan cannot see: only when one of them stands for
 * a key character (`%2D`, `\u0073`, `&#107;`). Escaped delimiters (`%22`, `%20`, `\u0022`) before a plain key are a
 * left edge the rules find in place (rules/shared.ts, escapeEdge), and code is full of escapes of other characters
 * (`\n`, `\u00e9`, `%s`, `&amp;`): their windows are not decoded. Measured on babel's working tree: the decode
 * stage took 14% of a one-thread scan, mostly such windows.
 */
function revealsKeyText(cluster: readonly Escape[]): boolean {
  return cluster.some((escape) => escape.bytes.some(isKeyByte));
}

/**
 * Where the regex pass starts, the first escape; -1 when no escape stands for a key character (then no window is
 * decoded). The escapes of key characters are looked for first, by their narrow needles; only a text that has one
 * (rare) is searched again for its first escape of any kind.
 */
export function firstEscapeIfAnyOfKeyChar(bytes: Buffer, syntax: EscapeSyntax): number {
  if (!anyEscapeOfKeyChar(bytes, syntax)) return -1;
  const needle = syntax.first;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    if (syntax.valueAt(bytes, at) >= 0) return at;
  }
  return -1;
}

function anyEscapeOfKeyChar(bytes: Buffer, syntax: EscapeSyntax): boolean {
  for (const needle of syntax.keyNeedles) {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
      const value = syntax.valueAt(bytes, at);
      if (value >= 0 && value < 0x80 && isKeyByte(value)) return true;
    }
  }
  return false;
}

/** Decodes the window around `escapes`, within [`notBefore`, `notAfter`) (the neighbouring windows). */
function decodeWindow(text: string, escapes: Escape[], notBefore: number, notAfter: number): DecodedSpan {
  const first = escapes[0].at;
  const lastEscape = escapes[escapes.length - 1];
  const lineStart = text.lastIndexOf('\n', first - 1) + 1;
  let lineEnd = text.indexOf('\n', lastEscape.at);
  if (lineEnd < 0) lineEnd = text.length;
  const start = Math.max(lineStart, first - ESCAPE_REACH, notBefore);
  const end = Math.min(lineEnd, lastEscape.at + lastEscape.length + ESCAPE_REACH, notAfter);
  // Decoding never lengthens: an escape of n characters stands for at most n bytes (`\u0800`: 6 → 3).
  const out = Buffer.allocUnsafe(end - start);
  const origin = new Int32Array(end - start + 1);
  const changed = new Int32Array(escapes.length);
  let n = 0;
  let from = start;
  const copyPlain = (to: number): void => {
    for (let i = from; i < to; i++) {
      origin[n] = i;
      out[n++] = text.charCodeAt(i);
    }
  };
  escapes.forEach((escape, k) => {
    copyPlain(escape.at);
    changed[k] = n;
    for (const b of escape.bytes) {
      origin[n] = escape.at;
      out[n++] = b;
    }
    from = escape.at + escape.length;
  });
  copyPlain(end);
  origin[n] = end;
  return { start, end, bytes: out.subarray(0, n), originOf: (i) => origin[i], changed };
}

/** Whether the byte is an ASCII hex digit. */
export function isHexByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/** The value of an ASCII hex digit byte (checked by isHexByte). */
export function hexValue(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

/** UTF-8 bytes of a code point; a lone surrogate becomes U+FFFD, as a decoder of the text would show it. */
export function utf8Of(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return [0xef, 0xbf, 0xbd];
  if (codePoint < 0x10000) return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  if (codePoint > 0x10ffff) return [0xef, 0xbf, 0xbd];
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}
