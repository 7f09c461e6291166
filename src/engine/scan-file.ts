import { detectFragment, type DetectOptions } from '../detect/detect';
import { describeError } from '../errors';
import { readFileFragmentsSync } from '../fragments/read-file';
import { emptyOutcome } from '../outcome';
import type { FileUnit, Fragment, Rule, ScanOutcome } from '../types';

/**
 * Detection of one fragment into `out`: the one place the engine calls detectFragment, on whichever thread. A stage
 * that expands fragments (decoded content from src/decode, archive members from src/archive) goes here, between the
 * fragmenter and detection: every source and thread then gets it.
 */
export function detectInto(out: ScanOutcome, fragment: Fragment, rules: readonly Rule[], options: DetectOptions, key = fragment.path): void {
  const detected = detectFragment(fragment, rules, options);
  out.suppressed += detected.suppressed;
  if (detected.stopped) out.overBudget.push({ path: key, ...detected.stopped });
  for (const finding of detected.findings) out.findings.push(finding);
}

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
  for (const file of files) {
    try {
      const outcome = readFileFragmentsSync(file.rawPath ?? file.absPath, file.path, (fragment) => detectInto(out, fragment, rules, options), scratch, maxFileSize);
      if (outcome.skippedSize !== undefined) {
        out.tooLarge.push(file.path);
        continue;
      }
      out.bytes += outcome.bytes;
      if (outcome.kind !== 'binary') out.files++;
      if (outcome.cutLines > 0) out.cutLines.push(file.path);
    } catch (error) {
      out.errors.push({ path: file.path, message: describeError(error) });
    }
  }
  return out;
}
