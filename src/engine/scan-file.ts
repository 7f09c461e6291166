import { closeSync, readSync } from 'node:fs';
import type { DetectOptions } from '../detect/detect';
import { describeError } from '../errors';
import { readFileFragmentsSync } from '../fragments/read-file';
import { emptyOutcome } from '../outcome';
import { openRegularSync } from '../sources/open-regular';
import type { FileUnit, Rule, ScanOutcome } from '../types';
import { contentFlagsOf, HEAD_BYTES, scanBinaryContent, wantsBinary } from './binary-content';
import { detectInto } from './decode-stage';

export { detectInto, type InnerPlace } from './decode-stage';

/**
 * Reads and scans files one after the other with blocking reads into one reused buffer: the unit of work of
 * both the in-thread scan and each worker thread, so both produce the very same findings.
 */
export function scanFileBatch(
  files: Iterable<FileUnit>,
  rules: readonly Rule[],
  options: DetectOptions,
  scratch: Buffer,
  maxFileSize?: number,
): ScanOutcome {
  const out = emptyOutcome();
  const flags = contentFlagsOf(options);
  for (const file of files) {
    try {
      const outcome = readFileFragmentsSync(file.rawPath ?? file.absPath, file.path, (fragment) => detectInto(out, fragment, rules, options), scratch, maxFileSize);
      if (outcome.skippedSize !== undefined) {
        out.tooLarge.push(file.path);
        continue;
      }
      out.bytes += outcome.bytes;
      if (outcome.kind !== 'binary') out.files++;
      else if (flags.archives || flags.binaryStrings) scanBinaryFile(file, rules, options, out);
      if (outcome.cutLines > 0) out.cutLines.push(file.path);
    } catch (error) {
      out.errors.push({ path: file.path, message: describeError(error) });
    }
  }
  return out;
}

/**
 * A file the fragmenter called binary, opened again: its head is read first, so media (and what the flags turn
 * off) is never read whole; the rest, up to MAX_BINARY_BYTES, is opened or scanned by its strings.
 */
function scanBinaryFile(file: FileUnit, rules: readonly Rule[], options: DetectOptions, out: ScanOutcome): void {
  const { fd, size } = openRegularSync(file.rawPath ? Buffer.from(file.rawPath.buffer, file.rawPath.byteOffset, file.rawPath.byteLength) : file.absPath);
  let bytes: Buffer;
  try {
    const readInto = (buffer: Buffer, from: number, to: number): number => {
      let have = from;
      while (have < to) {
        const n = readSync(fd, buffer, have, to - have, null);
        if (n === 0) break;
        have += n;
      }
      return have;
    };
    const head = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
    const headLength = readInto(head, 0, head.length);
    if (!wantsBinary(file.path, head.subarray(0, headLength), size, contentFlagsOf(options), out)) return;
    bytes = Buffer.allocUnsafe(size);
    head.copy(bytes, 0, 0, headLength);
    // Up to the size at open: a file that grows meanwhile is read as it was.
    bytes = bytes.subarray(0, headLength < head.length ? headLength : readInto(bytes, headLength, size));
  } finally {
    closeSync(fd);
  }
  scanBinaryContent(file.path, bytes, rules, options, out);
}
