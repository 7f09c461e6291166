import { isMostlyText } from './printable';
import type { Decoder, DecodedSpan } from './types';

/**
 * Shortest run worth decoding: the shortest key is an AccessKey ID, `LTAI` + 20 = 24 characters, 32 in base64
 * (a legacy `sk-` + 32 hex, 35 characters, is 48). Shorter runs cannot hold a whole key.
 */
export const MIN_BASE64_RUN = 32;

/** Characters decoded first from a long run: a run whose start is not text (an inlined image) is not decoded whole. */
const PROBE = 1024;

/**
 * Runs of the standard or URL-safe alphabet with optional padding, starting at a word edge. The lookbehind makes
 * every position inside a word fail at once, so the search is linear (each start reads at most one run).
 */
const RUN = new RegExp(`(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{${MIN_BASE64_RUN},}={0,2}`, 'g');

/**
 * base64 and base64url (RFC 4648 §4 and §5), padded or not: Kubernetes `data:` values, Docker `auths`, HTTP Basic
 * `user:key` pairs. A run is decoded from its first character, so a run glued to a `/path` prefix decodes to noise
 * (a known limit). A decoded byte points at the character where its bits start.
 */
export const base64Decoder: Decoder = {
  encoding: 'base64',
  *decode(text: string): Generator<DecodedSpan> {
    // A regex of its own per call: a nested layer decodes while this generator is paused.
    const run = new RegExp(RUN.source, 'g');
    for (let m = run.exec(text); m; m = run.exec(text)) {
      const span = decodeRun(m[0], m.index);
      if (span) yield span;
    }
  },
};

function decodeRun(run: string, start: number): DecodedSpan | undefined {
  let body = run.replace(/=+$/, '');
  // A length of 4k+1 cannot be base64: its last character holds too few bits to make a byte.
  if (body.length % 4 === 1) body = body.slice(0, -1);
  if (body.length > PROBE) {
    const probe = Buffer.from(body.slice(0, PROBE), 'base64');
    if (!isMostlyText(probe)) return undefined;
  }
  const bytes = Buffer.from(body, 'base64');
  const end = start + run.length;
  const originOf = (i: number): number => (i >= bytes.length ? end : start + Math.floor((i * 4) / 3));
  return { start, end, bytes, originOf };
}
