/** Structure checks that tell generated keys from typos, masks and placeholders. */

/** `0123…` hex without dashes whose version nibble is 4 and variant nibble is 8, 9, a or b (RFC 9562). */
export function isUuidV4Hex(hex: string): boolean {
  return hex.length === 32 && hex[12] === '4' && '89ab'.includes(hex[16]);
}

/** Reads a DER INTEGER at `pos`; returns the offset just past it, or -1 when malformed. */
function readDerInteger(bytes: Buffer, pos: number): number {
  if (bytes[pos] !== 0x02) return -1;
  const len = bytes[pos + 1];
  // ECDSA r and s are at most 66 bytes (P-521), always short-form lengths here; zero-length is invalid.
  if (len === undefined || len === 0 || len > 0x7f) return -1;
  const first = bytes[pos + 2];
  if (first === undefined) return -1;
  if (first & 0x80) return -1; // negative: r and s are positive
  if (first === 0 && len > 1 && !(bytes[pos + 3] & 0x80)) return -1; // non-minimal padding
  const end = pos + 2 + len;
  return end <= bytes.length ? end : -1;
}

/**
 * True when `b64url` decodes to a DER ECDSA signature: SEQUENCE { INTEGER r, INTEGER s } that uses every byte.
 * The signed Model Studio keys end in such a signature (observed 70-72 bytes); a masked or truncated key does not.
 */
export function isDerEcdsaSignature(b64url: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(b64url)) return false;
  const bytes = Buffer.from(b64url, 'base64url');
  // A base64url string whose length is 1 mod 4 cannot come from whole bytes.
  if (b64url.length % 4 === 1) return false;
  if (bytes.length < 8 || bytes[0] !== 0x30) return false;
  const seqLen = bytes[1];
  if (seqLen > 0x7f || seqLen !== bytes.length - 2) return false;
  const afterR = readDerInteger(bytes, 2);
  if (afterR < 0) return false;
  const afterS = readDerInteger(bytes, afterR);
  return afterS === bytes.length;
}
