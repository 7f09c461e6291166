import type { Argv } from 'yargs';
import { UserError } from '../../errors';
import { openRepository, resolveCommit, type Repository } from '../../git/repo';
import { scanHistory } from '../../sources/history';
import type { CommandContext, CommandOutcome } from '../context';
import { HISTORY_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { progressLine } from '../progress';
import { reportOutcome } from '../report-outcome';
import { finishResult, resolveSettings } from '../settings';

export interface HistoryCommandArgs extends OutputArgs, ScanArgs {
  range?: string;
  sinceCommit?: string;
  branch?: string;
}

/** `git log` revision arguments for the options, every name checked first so a typo is a clear error. */
export async function historyRevisions(repo: Repository, args: Pick<HistoryCommandArgs, 'range' | 'sinceCommit' | 'branch'>): Promise<string[]> {
  if (args.range !== undefined) {
    if (args.sinceCommit !== undefined || args.branch !== undefined) {
      throw new UserError('--range cannot be combined with --since-commit or --branch — give the range alone (A..B)');
    }
    const parts = args.range.split('..');
    if (parts.length !== 2 || parts.some((p) => p === '' || p.startsWith('.'))) {
      throw new UserError(`--range ${args.range}: expected two commits as A..B (e.g. main..feature or v1.0..HEAD)`);
    }
    const [from, to] = await Promise.all([resolveCommit(repo, parts[0], '--range'), resolveCommit(repo, parts[1], '--range')]);
    return [`^${from}`, to];
  }
  const tips = args.branch !== undefined ? [await resolveCommit(repo, args.branch, '--branch')] : ['--all'];
  if (args.sinceCommit !== undefined) return [`^${await resolveCommit(repo, args.sinceCommit, '--since-commit')}`, ...tips];
  return tips;
}

/** `ms-leakscan history`: every key ever committed, once each, at the commit that introduced it. */
export const historyCommand = {
  command: 'history',
  describe: 'Scan the git history (all refs by default): each key once, with the commit that introduced it',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(HISTORY_OPTIONS),
  async run(args: HistoryCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const settings = await resolveSettings(args, ctx);
    const repo = await openRepository(ctx.cwd, 'history');
    const revArgs = await historyRevisions(repo, args);
    const progress = progressLine(ctx, args.quiet);
    try {
      const result = await scanHistory(repo, {
        revArgs,
        rules: settings.rules,
        ...settings.detect,
        isExcludedPath: settings.isExcludedPath,
        maxFileSize: settings.maxFileSize,
        onProgress: progress?.update,
      });
      progress?.done();
      return reportOutcome(finishResult(result, settings), args, 'history', ctx, settings.rules);
    } catch (error) {
      progress?.done();
      throw error;
    }
  },
};
