import type { Argv } from 'yargs';
import { scanWorkingTree } from '../../scan';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { reportOutcome } from '../report-outcome';
import { finishResult, resolveSettings } from '../settings';
import { threadsOption } from '../threads';

export interface ScanCommandArgs extends OutputArgs, ScanArgs {
  paths: string[];
}

/** `ms-leakscan [scan] [paths..]`: the working tree. */
export const scanCommand = {
  command: ['scan [paths..]', '$0 [paths..]'],
  describe: 'Scan files and folders (default: the current folder)',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan' })
      .options(OUTPUT_OPTIONS)
      .options(SCAN_OPTIONS),
  async run(args: ScanCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const settings = await resolveSettings(args, ctx);
    const result = await scanWorkingTree({
      paths: args.paths,
      cwd: ctx.cwd,
      noIgnore: !args.ignore,
      rules: settings.rules,
      ...settings.detect,
      isExcludedPath: settings.isExcludedPath,
      threads: threadsOption(args.threads),
      maxFileSize: settings.maxFileSize,
    });
    return reportOutcome(finishResult(result, settings), args, 'working-tree', ctx, settings.rules);
  },
};
