import type { Argv } from 'yargs';
import { openRepository, resolveCommit } from '../../git/repo';
import { scanDiff } from '../../sources/diff';
import type { CommandContext, CommandOutcome } from '../context';
import { DIFF_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { reportOutcome } from '../report-outcome';
import { sourceOptions } from '../scan-sources';
import { finishResult, resolveSettings } from '../settings';
import { verifyIfAsked } from '../verify-step';

export interface DiffCommandArgs extends OutputArgs, ScanArgs {
  base: string;
  head: string;
}

/** `ms-leakscan diff --base X --head Y`: keys on lines added between two commits (pull requests, pushes). */
export const diffCommand = {
  command: 'diff',
  describe: 'Scan the lines added between two commits (--base, --head), each key with the commit that added it',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(DIFF_OPTIONS),
  async run(args: DiffCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const settings = await resolveSettings(args, ctx);
    const repo = await openRepository(ctx.cwd, 'diff');
    const [base, head] = await Promise.all([resolveCommit(repo, args.base, '--base'), resolveCommit(repo, args.head, '--head')]);
    const result = await scanDiff(repo, {
      base,
      head,
      ...sourceOptions(settings),
    });
    return reportOutcome(await verifyIfAsked(finishResult(result, settings), settings, ctx), args, 'diff', ctx, settings.rules);
  },
};
