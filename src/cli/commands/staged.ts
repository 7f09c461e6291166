import type { Argv } from 'yargs';
import { scanStaged } from '../../sources/staged';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, STAGED_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { reportOutcome } from '../report-outcome';
import { finishResult, resolveSettings } from '../settings';

export interface StagedCommandArgs extends OutputArgs, ScanArgs {
  allLines: boolean;
}

/** `ms-leakscan staged`: what the next commit will contain (the pre-commit hook). */
export const stagedCommand = {
  command: 'staged',
  describe: 'Scan the staged changes (the index), as a pre-commit hook does: only lines the commit adds',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(STAGED_OPTIONS),
  async run(args: StagedCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const settings = await resolveSettings(args, ctx);
    const result = await scanStaged({
      cwd: ctx.cwd,
      allLines: args.allLines,
      rules: settings.rules,
      ...settings.detect,
      isExcludedPath: settings.isExcludedPath,
      maxFileSize: settings.maxFileSize,
    });
    return reportOutcome(finishResult(result, settings), args, 'staged', ctx, settings.rules);
  },
};
