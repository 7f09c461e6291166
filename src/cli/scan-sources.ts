import { changedPolicyFiles } from '../config/commit-policy';
import { UserError } from '../errors';
import { openRepository, resolveCommit } from '../git/repo';
import { runSource } from '../pipeline';
import { loadSource, type SourceName } from '../sources';
import { parseShard } from '../sources/history-shard';
import type { HistoryProgress, ScanResult, SourceRequest } from '../types';
import type { CommandContext, CommandOutcome } from './context';
import type { SourceArgs } from './options';
import { progressLine } from './progress';
import { reportOutcome } from './report-outcome';
import { finishResult, policyChangeNotice, resolveSettings, type ScanSettings } from './settings';
import { threadsOption } from './threads';
import { verifyIfAsked } from './verify-step';

export type { SourceArgs } from './options';

/** The one mapping from parsed options to what a source is asked for. */
export function sourceRequest(args: SourceArgs, settings: ScanSettings, ctx: CommandContext, onProgress?: (p: HistoryProgress) => void): SourceRequest {
  return {
    cwd: ctx.cwd,
    paths: args.paths,
    noIgnore: args.ignore === false,
    isExcludedPath: settings.isExcludedPath,
    allLines: Boolean(args.allLines),
    range: args.range,
    sinceCommit: args.sinceCommit,
    branch: args.branch,
    fetchMissing: args.fetchMissing,
    shard: args.shard,
    base: args.base,
    head: args.head,
    netOnly: args.netOnly,
    commitMessages: args.commitMessages,
    input: ctx.stdin,
    inputPath: args.stdinFilename,
    onProgress,
  };
}

/** `-` among the paths of `scan` means standard input (alone: a path and stdin cannot be mixed). */
export function sourceOfPaths(args: SourceArgs): SourceName {
  if (!args.paths?.includes('-')) {
    if (args.stdinFilename !== undefined) throw new UserError('--stdin-filename names standard input, which is scanned only with - — add - (e.g. cat FILE | ms-leakscan - --stdin-filename FILE), or drop --stdin-filename');
    return 'working-tree';
  }
  if (args.paths.length > 1) throw new UserError('- (standard input) cannot be scanned together with paths — scan them in two runs');
  return 'stdin';
}

/**
 * Settings (flags, config, baseline) → the source through the engine → config examples and baseline dropped: the
 * scan every scan command runs, whatever it then does with the result.
 */
export async function scanSource(sourceName: SourceName, args: SourceArgs, settings: ScanSettings, ctx: CommandContext, onProgress?: (p: HistoryProgress) => void): Promise<ScanResult> {
  // A bad K/N is named first; a shard's report is partial, so only JSON (which merge reads back) makes sense.
  if (args.shard !== undefined && parseShard(args.shard) && args.format !== 'json') throw new UserError('--shard writes a partial report that ms-leakscan merge completes — add --format json');
  const source = await (await loadSource(sourceName)).create(sourceRequest(args, settings, ctx, onProgress));
  const threads = sourceName === 'working-tree' ? threadsOption(args.threads) : undefined;
  const result = await runSource(source, { rules: settings.rules, detect: settings.detect, maxFileSize: settings.maxFileSize, threads });
  if (sourceName === 'diff' && settings.policy) {
    // A change that edits the policy it is scanned with: said, since it applies only once merged.
    const head = await resolveCommit(await openRepository(ctx.cwd, 'diff'), args.head ?? 'HEAD', '--head');
    const changed = await changedPolicyFiles(settings.policy.request, settings.policy.loaded, head);
    if (changed.length) settings.warnings.push(policyChangeNotice(changed, settings.policy.loaded.commit));
  }
  return finishResult(result, settings);
}

/**
 * A scan command from start to end: settings → the source → baseline suppression → verification → report and exit
 * code. Every scan command goes through here, so all of them treat options alike.
 */
export async function scanAndReport(sourceName: SourceName, args: SourceArgs, ctx: CommandContext): Promise<CommandOutcome> {
  const settings = await resolveSettings(args, ctx);
  const progress = progressLine(ctx, args.quiet);
  let result: ScanResult;
  try {
    result = await scanSource(sourceName, args, settings, ctx, progress?.update);
  } finally {
    progress?.done();
  }
  return reportOutcome(await verifyIfAsked(result, settings, ctx), { ...args, failLevel: settings.failLevel }, sourceName, ctx, settings.rules);
}
