import type { Argv } from 'yargs';
import type { CommandContext, CommandOutcome } from '../context';
import { COMMIT_MESSAGE_OPTIONS, HISTORY_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, SHARD_OPTIONS, type CommitMessageArgs, type HistoryArgs, type OutputArgs, type ScanArgs, type ShardArgs } from '../options';
import { scanAndReport } from '../scan-sources';

export type HistoryCommandArgs = OutputArgs & ScanArgs & HistoryArgs & ShardArgs & CommitMessageArgs;

/** `ms-leakscan history`: every key ever committed, once each, at the commit that introduced it. */
export const historyCommand = {
  command: 'history',
  describe: 'Scan the git history (all refs by default): each key once, with the commit that introduced it',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(HISTORY_OPTIONS).options(SHARD_OPTIONS).options(COMMIT_MESSAGE_OPTIONS),
  run: (args: HistoryCommandArgs, ctx: CommandContext): Promise<CommandOutcome> => scanAndReport('history', args, ctx),
};
