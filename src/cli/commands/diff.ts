import type { Argv } from 'yargs';
import type { CommandContext, CommandOutcome } from '../context';
import { COMMIT_MESSAGE_OPTIONS, DIFF_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, type CommitMessageArgs, type DiffArgs, type OutputArgs, type ScanArgs } from '../options';
import { scanAndReport } from '../scan-sources';

export { POLICY_NOTICE_PREFIX } from '../settings';

export type DiffCommandArgs = OutputArgs & ScanArgs & DiffArgs & CommitMessageArgs;

/**
 * `ms-leakscan diff --base X --head Y`: keys a pull request or push brings, in every commit between the two and on
 * the lines the net diff adds, each with the commit that introduced it.
 */
export const diffCommand = {
  command: 'diff',
  describe: 'Scan every commit between two commits (--base, --head) and the lines they add: each key once, with the commit that added it',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(DIFF_OPTIONS).options(COMMIT_MESSAGE_OPTIONS),
  run: (args: DiffCommandArgs, ctx: CommandContext): Promise<CommandOutcome> => scanAndReport('diff', args, ctx),
};
