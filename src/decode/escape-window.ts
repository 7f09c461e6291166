import type { DecodedSpan } from './types';

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
  /** The byte every escape starts with (`%`, `\`, `&`): found by native `indexOf`. */
  lead: number;
  /**
   * What the first escape of a text must start with, when narrower than `lead` (HTML: `&#`): searched natively, so
   * text with many lead bytes (`&&` in code) costs no check per byte.
   */
  first?: Buffer;
  /**
   * The code point of the escape at `at` (whose byte is `lead`), or -1 when none starts there: a few byte comparisons,
   * no string.
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
 * Windows around clusters of escapes, each decoded. A window is cut to the escapes' line and reaches
 * `ESCAPE_REACH` bytes beyond its first and last escape; escapes less than two reaches apart share a window, so
 * windows never overlap. Bytes with no escape cost one native `indexOf` pass over the lead byte plus a check per
 * lead byte found; from the first escape on, one regex pass, and each byte is copied into at most one window.
 */
export function* decodeEscapeWindows(bytes: Buffer, syntax: EscapeSyntax): Generator<DecodedSpan> {
  // No escape of a key character, no window to decode (see revealsKeyText): most code stops here, before any string.
  const first = firstEscapeIfAnyOfKeyChar(bytes, syntax);
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
 * Where the regex pass starts, the first escape, found in the one pass over the lead bytes that looks for an escape of
 * a key character; -1 when there is none (then no window is decoded). Escapes of key characters start like `first`
 * does (HTML: character references, `&#`), so code full of `&&` costs no check per `&`.
 */
function firstEscapeIfAnyOfKeyChar(bytes: Buffer, syntax: EscapeSyntax): number {
  const needle = syntax.first ?? syntax.lead;
  let first = -1;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    const value = syntax.valueAt(bytes, at);
    if (value < 0) continue;
    if (first < 0) first = at;
    if (value < 0x80 && isKeyByte(value)) return first;
  }
  return -1;
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
