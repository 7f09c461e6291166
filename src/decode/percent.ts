import { EscapeDecoder, hexValue, isHexByte, type EscapeSyntax } from './escape-window';
import type { Decoder } from './types';

const PERCENT: EscapeSyntax = {
  first: Buffer.from('%', 'latin1'),
  keyNeedles: [Buffer.from('%', 'latin1')],
  valueAt: (b, at) => (at + 2 < b.length && isHexByte(b[at + 1]) && isHexByte(b[at + 2]) ? (hexValue(b[at + 1]) << 4) | hexValue(b[at + 2]) : -1),
  pattern: /%[0-9A-Fa-f]{2}/g,
  bytesOf: (m) => [parseInt(m[0].slice(1), 16)],
};

/**
 * Percent-encoding (RFC 3986 §2.1), as in proxy logs, HAR files and query strings: `%22sk-…`, `Bearer%20sk-…`,
 * `%73%6B%2D…`. Each `%XX` is one byte; `+` is left alone (it is a space only in forms, and base64 uses it).
 */
export const percentDecoder: Decoder = new EscapeDecoder('percent', PERCENT);
