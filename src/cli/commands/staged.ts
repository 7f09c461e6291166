import type { Argv } from 'yargs';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, STAGED_OPTIONS, type OutputArgs, type ScanArgs, type StagedArgs } from '../options';
import { scanAndReport } from '../scan-sources';

export type StagedCommandArgs = OutputArgs & ScanArgs & StagedArgs;

/** `ms-leakscan staged`: what the next commit will contain (the pre-commit hook). */
export const stagedCommand = {
  command: 'staged',
  describe: 'Scan the staged changes (the index), as a pre-commit hook does: only lines the commit adds',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(STAGED_OPTIONS),
  run: (args: StagedCommandArgs, ctx: CommandContext): Promise<CommandOutcome> => scanAndReport('staged', args, ctx),
};
