import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../../errors';
import { gitOutput } from '../../git/exec';
import { openRepository } from '../../git/repo';
import type { CommandContext, CommandOutcome } from '../context';
import { EXIT } from '../report-outcome';

export interface InitCommandArgs {
  force: boolean;
}

/** The husky v9 hook: a plain shell script that husky's `.husky/_/pre-commit` runs with `sh -e`. */
export const HUSKY_HOOK = 'npx ms-leakscan staged\n';
const HOOK_FILE = '.husky/pre-commit';

/** `ms-leakscan init`: writes the husky pre-commit hook into the current repository. */
export const initCommand = {
  command: 'init',
  describe: `Write the husky v9 pre-commit hook (${HOOK_FILE} running npx ms-leakscan staged) into this repository`,
  builder: (y: Argv) =>
    y.options({
      force: { type: 'boolean', default: false, describe: `Replace an existing ${HOOK_FILE} that runs something else` },
    }),
  async run(args: InitCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const repo = await openRepository(ctx.cwd, 'init');
    const hookPath = path.join(repo.top, HOOK_FILE);
    const shown = path.relative(ctx.cwd, hookPath) || HOOK_FILE;
    const existing = existsSync(hookPath) ? readFileSync(hookPath, 'utf8') : undefined;
    const lines: string[] = [];
    if (existing !== undefined && /(^|\s)ms-leakscan\s+staged\b/m.test(existing)) {
      lines.push(`${shown} already runs ms-leakscan staged: nothing changed`);
    } else {
      if (existing !== undefined && !args.force) {
        throw new UserError(
          `${shown} already exists and runs something else — add the line "npx ms-leakscan staged" to it yourself, or rerun ms-leakscan init --force to replace it`,
        );
      }
      mkdirSync(path.dirname(hookPath), { recursive: true });
      writeFileSync(hookPath, HUSKY_HOOK);
      chmodSync(hookPath, 0o755);
      lines.push(`${existing === undefined ? 'wrote' : 'replaced'} ${shown}: every git commit now runs "npx ms-leakscan staged" and is refused when it adds a key`);
    }
    const hooksPath = (await gitOutput(['config', '--get', 'core.hooksPath'], repo.top).catch(() => '')).trim();
    if (hooksPath.replace(/\/$/, '') !== '.husky/_') {
      lines.push(
        'husky is not set up in this repository yet, so git does not run the hook: run npm install --save-dev husky, ' +
          'add "prepare": "husky" to the scripts of package.json and run npx husky (not "husky init", which would replace the hook with "npm test")',
      );
    }
    return { exitCode: EXIT.clean, stdout: `${lines.join('\n')}\n`, stderr: '' };
  },
};
