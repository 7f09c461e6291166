/**
 * Whether decoded bytes read as text: at most 1 in 20 control bytes (random bytes have 1 in 8) and at least 60%
 * printable ASCII (random bytes have 37%; UTF-8 prose in another script still passes with ASCII punctuation and keys).
 */
export function isMostlyText(bytes: Buffer, from = 0, to = bytes.length): boolean {
  const n = to - from;
  if (n <= 0) return false;
  let control = 0;
  let ascii = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b >= 0x20 && b < 0x7f) ascii++;
    else if (b === 0x09 || b === 0x0a || b === 0x0d) ascii++;
    else if (b < 0x80) control++;
  }
  return control * 20 <= n && ascii * 10 >= n * 6;
}
