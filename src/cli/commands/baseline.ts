import path from 'node:path';
import type { Argv } from 'yargs';
import { formatBaseline } from '../../config/baseline';
import { UserError } from '../../errors';
import type { CommandContext, CommandOutcome } from '../context';
import { COMMIT_MESSAGE_OPTIONS, HISTORY_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, STAGED_OPTIONS, TREE_OPTIONS, type CommitMessageArgs, type HistoryArgs, type ScanArgs, type StagedArgs, type TreeArgs } from '../options';
import { EXIT } from '../report-outcome';
import { scanSource, type SourceArgs } from '../scan-sources';
import { resolveSettings } from '../settings';
import { writeFileAtomic } from '../write-atomic';
import { escapeControl } from '../../report/scrub';
import type { SourceName } from '../../sources';

/** The sources a baseline can be made from: those that need no input of their own. */
const BASELINE_SOURCES = ['working-tree', 'staged', 'history'] as const satisfies readonly SourceName[];

export type BaselineCommandArgs = Pick<SourceArgs, 'output' | 'quiet' | 'debug'> &
  Omit<ScanArgs, 'baseline' | 'reportUnused' | 'verify' | 'onlyLive'> &
  TreeArgs &
  StagedArgs &
  HistoryArgs &
  CommitMessageArgs & { paths: string[]; source: (typeof BASELINE_SOURCES)[number] };

// A baseline records every current finding, so it neither applies one nor reports unused entries, nor verifies keys.
const { baseline: _baseline, 'report-unused': _reportUnused, verify: _verify, 'only-live': _onlyLive, ...BASELINE_SCAN_OPTIONS } = SCAN_OPTIONS;
// Nor does it read standard input.
const { 'stdin-filename': _stdinFilename, ...BASELINE_TREE_OPTIONS } = TREE_OPTIONS;

/** `ms-leakscan baseline [paths..] --output FILE`: records today's findings so later scans report only new ones. */
export const baselineCommand = {
  command: 'baseline [paths..]',
  describe: 'Record the current findings in a baseline file; scans with --baseline FILE then report only new ones',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan (working tree)' })
      .options({
        output: { ...OUTPUT_OPTIONS.output, describe: 'Write the baseline to FILE (default: standard output)' },
        source: {
          choices: BASELINE_SOURCES,
          default: 'working-tree',
          describe: 'What to scan for findings to record: the working tree, the staged changes, or the git history',
          group: 'Scan:',
        },
        quiet: OUTPUT_OPTIONS.quiet,
        debug: OUTPUT_OPTIONS.debug,
      })
      .options(BASELINE_SCAN_OPTIONS)
      .options(BASELINE_TREE_OPTIONS)
      .options(STAGED_OPTIONS)
      .options(HISTORY_OPTIONS)
      .options(COMMIT_MESSAGE_OPTIONS),
  async run(args: BaselineCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    if (!BASELINE_SOURCES.includes(args.source)) throw new UserError(`--source ${args.source} is not available — use one of ${BASELINE_SOURCES.join(', ')}`);
    const scanArgs: SourceArgs = { ...args, format: 'text', showSecret: false, reportUnused: false, baseline: undefined, verify: false, onlyLive: false, color: undefined, failLevel: undefined };
    const settings = { ...(await resolveSettings(scanArgs, ctx)), baseline: undefined };
    const result = await scanSource(args.source, scanArgs, settings, ctx);
    let stderr = '';
    for (const e of result.errors) stderr += `error: ${escapeControl(e.path)}: ${escapeControl(e.message)}\n`;
    for (const w of result.warnings) stderr += `warning: ${escapeControl(w)}\n`;
    if (result.errors.length > 0) {
      stderr += `ms-leakscan: baseline not written: ${result.errors.length} file(s) could not be scanned — fix the errors above and rerun\n`;
      return { exitCode: EXIT.error, stdout: '', stderr };
    }
    const text = formatBaseline(result.findings);
    const entries = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const summary = `${entries} entr${entries === 1 ? 'y' : 'ies'} for ${result.findings.length} finding(s) from the ${args.source}`;
    if (!args.output) return { exitCode: EXIT.clean, stdout: text, stderr };
    // A baseline holds rule ids and fingerprints only, nothing to scrub.
    writeFileAtomic(path.resolve(ctx.cwd, args.output), text, `--output ${args.output}`);
    if (!args.quiet) stderr += `baseline ${escapeControl(args.output)}: ${summary}\n`;
    return { exitCode: EXIT.clean, stdout: '', stderr };
  },
};
