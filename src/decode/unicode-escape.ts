import { decodeEscapeWindows, hexValue, isHexByte, utf8Of, type EscapeSyntax } from './escape-window';
import type { Decoder } from './types';

const UNICODE_ESCAPE: EscapeSyntax = {
  lead: 0x5c,
  valueAt: (b, at) => {
    const digits = b[at + 1] === 0x75 ? 4 : b[at + 1] === 0x78 ? 2 : 0;
    let value = digits ? 0 : -1;
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
export const unicodeEscapeDecoder: Decoder = {
  encoding: 'unicode-escape',
  decode: (bytes) => decodeEscapeWindows(bytes, UNICODE_ESCAPE),
};
