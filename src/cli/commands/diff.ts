import type { Argv } from 'yargs';
import { openRepository, resolveCommit } from '../../git/repo';
import { changedPolicyFiles } from '../../config/commit-policy';
import { scanDiff } from '../../sources/diff';
import type { ScanResult } from '../../types';
import type { CommandContext, CommandOutcome } from '../context';
import { DIFF_OPTIONS, OUTPUT_OPTIONS, SCAN_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { progressLine } from '../progress';
import { reportOutcome } from '../report-outcome';
import { sourceOptions } from '../scan-sources';
import { finishResult, resolveSettings } from '../settings';
import { verifyIfAsked } from '../verify-step';

/** How the note about a change to the policy starts (the Action shows it as a notice, not a warning). */
export const POLICY_NOTICE_PREFIX = 'policy: ';

/** The note for a change that edits the policy it is scanned with. */
export function policyChangeNotice(changed: readonly string[], policyCommit: string): string {
  return (
    `${POLICY_NOTICE_PREFIX}the scanned change edits ${changed.join(', ')}; this scan used the config and baseline of ${policyCommit.slice(0, 12)} ` +
    '(--policy-from), and the change applies once it is merged'
  );
}

export interface DiffCommandArgs extends OutputArgs, ScanArgs {
  base: string;
  head: string;
  netOnly: boolean;
}

/**
 * `ms-leakscan diff --base X --head Y`: keys a pull request or push brings, in every commit between the two and on
 * the lines the net diff adds, each with the commit that introduced it.
 */
export const diffCommand = {
  command: 'diff',
  describe: 'Scan every commit between two commits (--base, --head) and the lines they add: each key once, with the commit that added it',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(DIFF_OPTIONS),
  async run(args: DiffCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const settings = await resolveSettings(args, ctx);
    const repo = await openRepository(ctx.cwd, 'diff');
    const [base, head] = await Promise.all([resolveCommit(repo, args.base, '--base'), resolveCommit(repo, args.head, '--head')]);
    const progress = progressLine(ctx, args.quiet);
    let result: ScanResult;
    try {
      result = await scanDiff(repo, { base, head, netOnly: args.netOnly, ...sourceOptions(settings), onProgress: progress?.update });
    } finally {
      progress?.done();
    }
    if (settings.policy) {
      const changed = await changedPolicyFiles(settings.policy.request, settings.policy.loaded, head);
      if (changed.length) settings.warnings.push(policyChangeNotice(changed, settings.policy.loaded.commit));
    }
    return reportOutcome(await verifyIfAsked(finishResult(result, settings), settings, ctx), args, 'diff', ctx, settings.rules);
  },
};
