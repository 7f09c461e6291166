import { decodeEscapeWindows, utf8Of, type EscapeSyntax } from './escape-window';
import type { Decoder } from './types';

/**
 * The named entities that sit next to a key in HTML (quotes, markup, the non-breaking space, decoded as a plain
 * space since it separates words the same way), and every decimal or hex character reference.
 */
const NAMED: Record<string, number> = { quot: 0x22, amp: 0x26, lt: 0x3c, gt: 0x3e, apos: 0x27, nbsp: 0x20 };
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|quot|amp|lt|gt|apos|nbsp);/;

const HTML_ENTITY: EscapeSyntax = {
  lead: 0x26,
  // `&` is frequent in code (`&&`): a byte check first, the anchored regex only for `&#` or `&` + letter.
  startsAt: (b, at) => {
    const next = b[at + 1];
    const plausible = next === 0x23 || (next !== undefined && ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a));
    return plausible && ENTITY.test(b.toString('latin1', at, at + 11));
  },
  pattern: /&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(quot|amp|lt|gt|apos|nbsp));/g,
  bytesOf: (m) => {
    if (m[3]) return [NAMED[m[3]]];
    const codePoint = m[1] !== undefined ? parseInt(m[1], 10) : parseInt(m[2], 16);
    return codePoint === 0 ? undefined : utf8Of(codePoint);
  },
};

export const htmlEntityDecoder: Decoder = {
  encoding: 'html-entity',
  decode: (bytes) => decodeEscapeWindows(bytes, HTML_ENTITY),
};
