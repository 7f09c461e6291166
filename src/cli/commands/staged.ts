import type { Argv } from 'yargs';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, STAGED_OPTIONS, type OutputArgs, type ScanArgs, type StagedArgs } from '../options';
import { EXIT } from '../report-outcome';
import { scanAndReport } from '../scan-sources';

export type StagedCommandArgs = OutputArgs & ScanArgs & StagedArgs;

/**
 * Printed after a refused commit (on standard error, with the text report): the key is not pushed yet, so
 * removing it is enough unless it was shared elsewhere; a false positive has two durable answers; and the escape
 * hatch is named with its cost, since `--no-verify` skips every other hook as well.
 */
export const REFUSED_COMMIT_HELP = `ms-leakscan: commit refused: it adds the key(s) above. Ways forward:
  1. Remove the key (read it from an environment variable instead) and git add
     the file again. It has not left this machine; if it was ever shared or
     pushed anywhere, rotate it in the Model Studio console.
  2. Not a real key, or meant to be there: add "ms-leakscan:allow <reason>" on
     its line, or record it in a baseline (ms-leakscan baseline --source staged
     --output FILE, then "baseline": FILE in the config).
  3. git commit --no-verify commits anyway, skipping this check and every other
     pre-commit hook.
`;

/** `ms-leakscan staged`: what the next commit will contain (the pre-commit hook). */
export const stagedCommand = {
  command: 'staged',
  describe: 'Scan the staged changes (the index), as a pre-commit hook does: only lines the commit adds',
  builder: (y: Argv) => y.options(OUTPUT_OPTIONS).options(SCAN_OPTIONS).options(STAGED_OPTIONS),
  async run(args: StagedCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    return withRefusalHelp(await scanAndReport('staged', args, ctx), args, REFUSED_COMMIT_HELP);
  },
};

/** A hook's refusal: `help` after the text report when the commit is refused, unless --quiet or another format. */
export function withRefusalHelp(outcome: CommandOutcome, args: OutputArgs, help: string): CommandOutcome {
  if (outcome.exitCode !== EXIT.findings || args.quiet || args.format !== 'text') return outcome;
  return { ...outcome, stderr: `${outcome.stderr}${help}` };
}
