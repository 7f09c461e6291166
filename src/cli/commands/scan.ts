import type { Argv } from 'yargs';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, TREE_OPTIONS, type OutputArgs, type ScanArgs, type TreeArgs } from '../options';
import { scanAndReport, sourceOfPaths } from '../scan-sources';

export type ScanCommandArgs = OutputArgs & ScanArgs & TreeArgs & { paths: string[] };

/** `ms-leakscan [scan] [paths..]`: the working tree, or standard input for `-`. */
export const scanCommand = {
  command: ['scan [paths..]', '$0 [paths..]'],
  describe: 'Scan files and folders (default: the current folder); - scans standard input',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan, or - for standard input' })
      .options(OUTPUT_OPTIONS)
      .options(SCAN_OPTIONS)
      .options(TREE_OPTIONS),
  run: (args: ScanCommandArgs, ctx: CommandContext): Promise<CommandOutcome> => scanAndReport(sourceOfPaths(args), args, ctx),
};
