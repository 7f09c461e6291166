/** Shortest run kept: `strings` uses 4; 20 is below every key (the shortest, an AccessKey ID, is 24). */
export const MIN_STRING_LENGTH = 20;

export interface BinaryString {
  /** Byte offset of the run's first character in the original bytes. */
  offset: number;
  /** The run as ASCII bytes (for UTF-16LE runs, the low bytes; character `i` is at `offset + 2 * i`). */
  bytes: Buffer;
  encoding: 'ascii' | 'utf16le';
}

const isPrintable = (b: number): boolean => (b >= 0x20 && b < 0x7f) || b === 0x09;

/**
 * Printable runs of a binary, like `strings -n 20` plus its UTF-16LE mode (`-e l`, as Windows binaries and .NET
 * assemblies store strings), in offset order per encoding. Linear: one pass for ASCII, one per UTF-16 alignment.
 * ASCII runs are views of the input (no copy); UTF-16 runs are copied, at most half the input in all.
 */
export function* binaryStrings(bytes: Buffer, minLength = MIN_STRING_LENGTH): Generator<BinaryString> {
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && isPrintable(bytes[i])) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= minLength) yield { offset: start, bytes: bytes.subarray(start, i), encoding: 'ascii' };
    start = -1;
  }
  for (const alignment of [0, 1]) yield* utf16Runs(bytes, alignment, minLength);
}

function* utf16Runs(bytes: Buffer, alignment: number, minLength: number): Generator<BinaryString> {
  let start = -1;
  const end = bytes.length - ((bytes.length - alignment) % 2);
  for (let i = alignment; i <= end; i += 2) {
    if (i + 1 < bytes.length && bytes[i + 1] === 0 && isPrintable(bytes[i])) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && (i - start) / 2 >= minLength) {
      const run = Buffer.allocUnsafe((i - start) / 2);
      for (let k = 0; k < run.length; k++) run[k] = bytes[start + 2 * k];
      yield { offset: start, bytes: run, encoding: 'utf16le' };
    }
    start = -1;
  }
}
