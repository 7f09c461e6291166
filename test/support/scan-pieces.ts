import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinRules } from '../../rules';
import { detectFragment, type DetectOptions } from '../../src/detect/detect';
import { BlobFragmenter } from '../../src/sources/blob-fragments';
import { readFileFragmentsSync, type PieceSizes } from '../../src/sources/read-file';
import type { Finding, Rule } from '../../src/types';

export interface PiecesOutcome {
  findings: Finding[];
  cutLines: number;
  stopped: number;
}

/** Scans `content` read from a real file in pieces of the given sizes, as `scan` reads files. */
export function scanFileInPieces(content: Buffer, sizes: PieceSizes, options: DetectOptions = {}, rules: readonly Rule[] = builtinRules): PiecesOutcome {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-pieces-'));
  try {
    const file = path.join(dir, 'input.txt');
    writeFileSync(file, content);
    const out: PiecesOutcome = { findings: [], cutLines: 0, stopped: 0 };
    const read = readFileFragmentsSync(file, 'input.txt', (fragment) => collect(out, fragment, rules, options), Buffer.allocUnsafe(sizes.chunk), undefined, sizes);
    out.cutLines = read.cutLines;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scans `content` as a git blob streamed in chunks of `writes` bytes (cycled), in pieces of the given sizes. */
export function scanBlobInPieces(content: Buffer, sizes: PieceSizes, writes: readonly number[] = [65536], options: DetectOptions = {}, rules: readonly Rule[] = builtinRules): PiecesOutcome {
  const out: PiecesOutcome = { findings: [], cutLines: 0, stopped: 0 };
  const fragmenter = new BlobFragmenter(content.length, 'input.txt', (fragment) => collect(out, fragment, rules, options), sizes);
  for (let at = 0, i = 0; at < content.length; i++) {
    const n = Math.max(1, writes[i % writes.length]);
    fragmenter.write(content.subarray(at, at + n));
    at += n;
  }
  fragmenter.end();
  out.cutLines = fragmenter.cutLines;
  return out;
}

function collect(out: PiecesOutcome, fragment: Parameters<typeof detectFragment>[0], rules: readonly Rule[], options: DetectOptions): void {
  // Fragments may point into a reused buffer: detected at once, as the engine does.
  const detected = detectFragment(fragment, rules, { showSecret: true, ...options });
  for (const finding of detected.findings) out.findings.push(finding);
  if (detected.stopped) out.stopped++;
}
