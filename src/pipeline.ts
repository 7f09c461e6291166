import { createScanner, type ScannerOptions } from './engine/scanner';
import { resultOf } from './outcome';
import type { ScanResult, Source } from './types';

/**
 * The pipeline of every scan, CLI or library: the source hands its units to the engine (createScanner), which
 * fragments and detects them; the source names what was found (paths, commits); the outcome becomes the result
 * reporters take, its warnings written once. Config, baseline and verification are applied around it (src/cli/settings.ts
 * for the CLI, src/api.ts for the library).
 */
export async function runSource(source: Source, options: ScannerOptions): Promise<ScanResult> {
  const startedAt = performance.now();
  const outcome = await source.scan(createScanner(options));
  return resultOf(outcome, startedAt, options.maxFileSize);
}
