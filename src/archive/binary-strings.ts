/** Shortest run kept: `strings` uses 4; 20 is below every key (the shortest, an AccessKey ID, is 24). */
export const MIN_STRING_LENGTH = 20;

export interface BinaryString {
  /** Byte offset of the run's first character in the original bytes. */
  offset: number;
  /** The run as ASCII bytes (for UTF-16LE runs, the low bytes; character `i` is at `offset + 2 * i`). */
  bytes: Buffer;
  encoding: 'ascii' | 'utf16le';
}

/** Printable ASCII and tab. */
const PRINTABLE = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b++) PRINTABLE[b] = 1;
PRINTABLE[0x09] = 1;

/**
 * Printable runs of a binary, like `strings -n 20` plus its UTF-16LE mode (`-e l`, as Windows binaries and .NET
 * assemblies store strings), ASCII runs first, then UTF-16LE runs, each in offset order. Linear, and strided: a run
 * of at least `minLength` characters holds two consecutive multiples of `minLength / 2` characters, so only where
 * both are printable is the stretch between read. ASCII runs are views of the input (no copy); UTF-16 runs are
 * copied, at most half the input in all.
 */
export function* binaryStrings(buffer: Buffer, minLength = MIN_STRING_LENGTH): Generator<BinaryString> {
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  for (const [start, end] of longRuns(bytes, 1, 0, minLength)) {
    yield { offset: start, bytes: buffer.subarray(start, end), encoding: 'ascii' };
  }
  for (const alignment of [0, 1]) {
    for (const [start, end] of longRuns(bytes, 2, alignment, minLength)) {
      const run = Buffer.allocUnsafe((end - start) / 2);
      for (let k = 0; k < run.length; k++) run[k] = bytes[start + 2 * k];
      yield { offset: start, bytes: run, encoding: 'utf16le' };
    }
  }
}

/**
 * Maximal runs of printable characters of `width` bytes (1: ASCII; 2: UTF-16LE, a printable byte then a zero) at
 * byte offsets ≡ `alignment` (mod `width`), at least `minLength` characters long, as [start, end) byte offsets.
 */
function* longRuns(bytes: Uint8Array, width: 1 | 2, alignment: number, minLength: number): Generator<[number, number]> {
  const n = bytes.length;
  const isChar = width === 1 ? (i: number): boolean => PRINTABLE[bytes[i]] === 1 : (i: number): boolean => PRINTABLE[bytes[i]] === 1 && bytes[i + 1] === 0 && i + 1 < n;
  const stride = Math.max(1, minLength >> 1) * width;
  let q = alignment;
  while (q + stride < n) {
    if (!isChar(q + stride)) {
      q += 2 * stride;
      continue;
    }
    if (!isChar(q)) {
      q += stride;
      continue;
    }
    let j = q + width;
    while (j < q + stride && isChar(j)) j += width;
    if (j < q + stride) {
      q += stride;
      continue;
    }
    let start = q;
    while (start - width >= 0 && isChar(start - width)) start -= width;
    let end = q + stride + width;
    while (end < n && isChar(end)) end += width;
    if ((end - start) / width >= minLength) yield [start, end];
    // The next run starts past `end` (not a character); resume at the first stride point after it.
    q = end + width + (((stride - ((end + width - alignment) % stride)) % stride));
  }
}
