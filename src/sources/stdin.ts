import { emptyOutcome } from '../outcome';
import type { SourceDefinition } from '../types';

/**
 * Standard input (`ms-leakscan -`), read through the same fragmenter as a file, its findings shown at
 * `--stdin-filename` (default `<stdin>`), which allowPaths also match.
 */
export const stdinSource: SourceDefinition = {
  name: 'stdin',
  describe: 'standard input (ms-leakscan -), shown at --stdin-filename',
  create: ({ input, inputPath = STDIN_PATH, isExcludedPath }) => ({
    scan: async (scanner) => (isExcludedPath?.(inputPath) ? emptyOutcome() : scanner.bytes(inputPath, input ?? [])),
  }),
};

/** Where findings in standard input are shown when no --stdin-filename names it. */
export const STDIN_PATH = '<stdin>';
