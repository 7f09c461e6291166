import { decodeEscapeWindows, utf8Of } from './escape-window';
import type { Decoder } from './types';

/**
 * JSON and JavaScript escapes: `\uXXXX` (JSON, JS, Java, C#) and `\xXX` (JS, Python, C), as in `"\u0022sk-…"` or
 * `\x73\x6b\x2d…`. Each becomes its code point in UTF-8. A surrogate half becomes U+FFFD: keys are ASCII, so
 * pairing them is not worth the code. An escaped backslash (`\\u0041`) is decoded too; that only adds text.
 */
export const unicodeEscapeDecoder: Decoder = {
  encoding: 'unicode-escape',
  decode: (text) =>
    decodeEscapeWindows(text, {
      pattern: /\\(?:u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2}))/g,
      bytesOf: (m) => utf8Of(parseInt(m[1] ?? m[2], 16)),
    }),
};
