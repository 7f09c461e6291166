import { UserError } from '../errors';
import { openRepository } from '../git/repo';
import { parseShard } from '../sources/history-shard';
import { historyRevisions, type RevisionArgs } from '../git/revisions';
import type { HistoryProgress } from '../sources/history';
import type { ScanResult } from '../types';
import type { CommandContext, CommandOutcome } from './context';
import type { OutputArgs, ScanArgs, TreeArgs } from './options';
import { progressLine } from './progress';
import { reportOutcome } from './report-outcome';
import { finishResult, resolveSettings, type ScanSettings } from './settings';
import { threadsOption } from './threads';
import { verifyIfAsked } from './verify-step';

/** The arguments every source sees: the common options plus whatever its own command declares. */
export type SourceArgs = OutputArgs & ScanArgs & Partial<TreeArgs> & RevisionArgs & { allLines?: boolean; shard?: string };

/** One place findings come from, runnable by any command that needs "a scan of X" (e.g. `baseline --source X`). */
export interface ScanSource {
  describe: string;
  scan(args: SourceArgs, settings: ScanSettings, ctx: CommandContext, onProgress?: (p: HistoryProgress) => void): Promise<ScanResult>;
}

/** What every source takes from the settings: rules, detection options, path exclusions, size limit. */
export function sourceOptions(settings: ScanSettings) {
  return {
    rules: settings.rules,
    ...settings.detect,
    isExcludedPath: settings.isExcludedPath,
    maxFileSize: settings.maxFileSize,
  };
}

/** Every source by name; `baseline --source` offers whatever is listed. Each loads its code on first use. */
export const SCAN_SOURCES: Record<string, ScanSource> = {
  'working-tree': {
    describe: 'files and folders on disk (the paths given, default the current folder)',
    scan: async (args, settings, ctx) => {
      const { scanWorkingTree } = await import('../scan');
      return scanWorkingTree({
        ...sourceOptions(settings),
        paths: args.paths,
        cwd: ctx.cwd,
        noIgnore: args.ignore === false,
        threads: threadsOption(args.threads),
      });
    },
  },
  staged: {
    describe: 'the staged changes (the index): only the lines the next commit adds, unless --all-lines',
    scan: async (args, settings, ctx) => {
      const { scanStaged } = await import('../sources/staged');
      return scanStaged({ ...sourceOptions(settings), cwd: ctx.cwd, allLines: Boolean(args.allLines) });
    },
  },
  history: {
    describe: 'every commit of the git history (all refs, or --range / --since-commit / --branch)',
    scan: async (args, settings, ctx, onProgress) => {
      const { scanHistory } = await import('../sources/history');
      const repo = await openRepository(ctx.cwd, 'history');
      const revArgs = await historyRevisions(repo, args);
      const shard = args.shard === undefined ? undefined : parseShard(args.shard);
      if (shard && args.format !== 'json') throw new UserError(`--shard writes a partial report that ms-leakscan merge completes — add --format json`);
      return scanHistory(repo, { ...sourceOptions(settings), revArgs, onProgress, fetchMissing: args.fetchMissing, ...(shard ? { shard } : {}) });
    },
  },
};

/**
 * A scan command from start to end: settings (flags, config, baseline) → the source → baseline suppression →
 * report and exit code. Every scan command goes through here, so all of them treat options alike.
 */
export async function scanAndReport(sourceName: string, args: SourceArgs, ctx: CommandContext): Promise<CommandOutcome> {
  const settings = await resolveSettings(args, ctx);
  const progress = progressLine(ctx, args.quiet);
  try {
    const result = await SCAN_SOURCES[sourceName].scan(args, settings, ctx, progress?.update);
    progress?.done();
    return reportOutcome(await verifyIfAsked(finishResult(result, settings), settings, ctx), args, sourceName, ctx, settings.rules);
  } catch (error) {
    progress?.done();
    throw error;
  }
}
