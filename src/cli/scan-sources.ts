import { scanWorkingTree } from '../scan';
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

/**
 * Every source by name. The working tree is here; git sources (staged, history) add themselves by name, and
 * `baseline --source` offers whatever is listed.
 */
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
};
