import { EscapeDecoder, hexValue, utf8Of, type EscapeSyntax } from './escape-window';
import type { Decoder } from './types';

/**
 * The named entities that sit next to a key in HTML (quotes, markup, the non-breaking space, decoded as a plain
 * space since it separates words the same way), and every decimal or hex character reference.
 */
const NAMED: Record<string, number> = { quot: 0x22, amp: 0x26, lt: 0x3c, gt: 0x3e, apos: 0x27, nbsp: 0x20 };
const NAMED_BYTES = Object.keys(NAMED).map((name) => [name, Buffer.from(`${name};`, 'latin1')] as const);

function isDigit(c: number, hex: boolean): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  const lower = c | 0x20;
  return hex && lower >= 0x61 && lower <= 0x66;
}

/** `b[i]`, or -1 past the end (a read out of bounds would make V8 drop the optimised code of the search). */
function byteAt(b: Buffer, i: number): number {
  return i < b.length ? b[i] : -1;
}

/** The code point of `&#1…;`, `&#x1…;` or a named entity at `at`, or -1, by byte comparisons (no string: `&` is frequent in code). */
function entityValue(b: Buffer, at: number): number {
  let i = at + 1;
  if (byteAt(b, i) === 0x23) {
    i++;
    const hex = byteAt(b, i) === 0x78 || byteAt(b, i) === 0x58;
    if (hex) i++;
    const first = i;
    let value = 0;
    while (i - first < (hex ? 6 : 7) && isDigit(byteAt(b, i), hex)) value = value * (hex ? 16 : 10) + (hex ? hexValue(b[i++]) : b[i++] - 0x30);
    return i > first && byteAt(b, i) === 0x3b ? value : -1;
  }
  for (const [name, bytes] of NAMED_BYTES) {
    if (i + bytes.length <= b.length && b[i] === bytes[0] && b.compare(bytes, 0, bytes.length, i, i + bytes.length) === 0) return NAMED[name];
  }
  return -1;
}

const HTML_ENTITY: EscapeSyntax = {
  // A key's own characters are encoded only as character references (`&#115;&#107;&#45;…`); a named entity next to a
  // plain key (`&quot;sk-…&quot;`) leaves the key's edge clear and the plain scan finds it. So a text is decoded only
  // from its first `&#`, found natively: code full of `&&` costs one native pass, not a check per `&`.
  first: Buffer.from('&#', 'latin1'),
  keyNeedles: [Buffer.from('&#', 'latin1')],
  // `&` is frequent in code (`&&`): checked by bytes, no string or regex per `&`.
  valueAt: entityValue,
  pattern: /&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(quot|amp|lt|gt|apos|nbsp));/g,
  bytesOf: (m) => {
    if (m[3]) return [NAMED[m[3]]];
    const codePoint = m[1] !== undefined ? parseInt(m[1], 10) : parseInt(m[2], 16);
    return codePoint === 0 ? undefined : utf8Of(codePoint);
  },
};

export const htmlEntityDecoder: Decoder = new EscapeDecoder('html-entity', HTML_ENTITY);
