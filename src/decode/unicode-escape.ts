import { EscapeDecoder, hexValue, isHexByte, utf8Of, type EscapeSyntax } from './escape-window';
import type { Decoder } from './types';

const UNICODE_ESCAPE: EscapeSyntax = {
  first: Buffer.from('\\', 'latin1'),
  // `\uXXXX` of a code point below 0x80 is `\u00..`.
  keyNeedles: [Buffer.from('\\u00', 'latin1'), Buffer.from('\\x', 'latin1')],
  valueAt: (b, at) => {
    const kind = at + 1 < b.length ? b[at + 1] : 0;
    const digits = kind === 0x75 ? 4 : kind === 0x78 ? 2 : 0;
    let value = digits && at + 1 + digits < b.length ? 0 : -1;
    for (let i = 0; i < digits && value >= 0; i++) value = isHexByte(b[at + 2 + i]) ? (value << 4) | hexValue(b[at + 2 + i]) : -1;
    return value;
  },
  pattern: /\\(?:u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2}))/g,
  bytesOf: (m) => utf8Of(parseInt(m[1] ?? m[2], 16)),
};

/**
 * JSON and JavaScript escapes: `\uXXXX` (JSON, JS, Java, C#) and `\xXX` (JS, Python, C), as in `"\u0022sk-…"` or
 * `\x73\x6b\x2d…`. Each becomes its code point in UTF-8. A surrogate half becomes U+FFFD: keys are ASCII, so
 * pairing them is not worth the code. An escaped backslash (`\\u0041`) is decoded too; that only adds text.
 */
export const unicodeEscapeDecoder: Decoder = new EscapeDecoder('unicode-escape', UNICODE_ESCAPE);
