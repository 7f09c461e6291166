import type { Rule } from '../types';
import type { VerifyTransport } from '../verify/endpoints';

/** What a command needs from the world: the only door to cwd, environment and terminal. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Standard error is a terminal (progress). */
  isTTY: boolean;
  /** Standard output is a terminal: the text report is coloured only then (default: same as `isTTY`). */
  stdoutIsTTY?: boolean;
  /** Columns of standard output, when it is a terminal: the text report wraps to it (80 otherwise). */
  columns?: number;
  /** Columns of standard error, when it is a terminal: the progress line stays within it. */
  stderrColumns?: number;
  /** Live writes to standard error (progress); buffered when run() is called from tests. */
  writeErr: (text: string) => void;
  /** Standard input, for `ms-leakscan -` (the process's, or what a test hands run()). */
  stdin?: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** The output edge's scrubber (src/report/scrub.ts), for what a command writes to a file itself; off under --show-secret. */
  scrub: (text: string) => string;
  /** Tells the output edge the rules in force (the config's): the shapes of its custom rules are masked too. */
  useRules: (rules: readonly Rule[]) => void;
  /** Tests only: see RunEnvironment.verifyTransport. */
  verifyTransport?: VerifyTransport;
}

/** A command's answer: what to print and the exit code. */
export interface CommandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}
