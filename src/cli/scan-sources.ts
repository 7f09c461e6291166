import { openRepository } from '../git/repo';
import { scanWorkingTree } from '../scan';
import { scanHistory } from '../sources/history';
import { scanStaged } from '../sources/staged';
import { historyRevisions } from './commands/history';
import type { ScanResult } from '../types';
import type { CommandContext } from './context';
import type { OutputArgs, ScanArgs } from './options';
import type { ScanSettings } from './settings';

/** The arguments every source sees: the common options plus whatever its own command declares. */
export type SourceArgs = OutputArgs & ScanArgs & Record<string, unknown>;

/** One place findings come from, runnable by any command that needs "a scan of X" (e.g. `baseline --source X`). */
export interface ScanSource {
  describe: string;
  scan(args: SourceArgs, settings: ScanSettings, ctx: CommandContext): Promise<ScanResult>;
}

/** Every source by name; `baseline --source` offers whatever is listed. */
export const SCAN_SOURCES: Record<string, ScanSource> = {
  'working-tree': {
    describe: 'files and folders on disk (the paths given, default the current folder)',
    scan: (args, settings, ctx) =>
      scanWorkingTree({
        paths: args.paths,
        cwd: ctx.cwd,
        noIgnore: !args.ignore,
        rules: settings.rules,
        ...settings.detect,
        isExcludedPath: settings.isExcludedPath,
        maxFileSize: settings.maxFileSize,
      }),
  },
  staged: {
    describe: 'the staged changes (the index): only the lines the next commit adds, unless --all-lines',
    scan: (args, settings, ctx) =>
      scanStaged({ cwd: ctx.cwd, allLines: Boolean(args.allLines), rules: settings.rules, ...settings.detect, isExcludedPath: settings.isExcludedPath }),
  },
  history: {
    describe: 'every commit of the git history (all refs, or --range / --since-commit / --branch)',
    scan: async (args, settings, ctx) => {
      const repo = await openRepository(ctx.cwd, 'history');
      const revArgs = await historyRevisions(repo, args as Parameters<typeof historyRevisions>[1]);
      return scanHistory(repo, { revArgs, rules: settings.rules, ...settings.detect, isExcludedPath: settings.isExcludedPath });
    },
  },
};
