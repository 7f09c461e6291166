import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Argv } from 'yargs';
import { UserError } from '../../errors';
import { openRepository } from '../../git/repo';
import { describeReadError, readSmallFileSync } from '../../sources/open-regular';
import type { CommandContext, CommandOutcome } from '../context';
import { EXIT } from '../report-outcome';
import { writeFileAtomic } from '../write-atomic';

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
    const existing = readHook(hookPath, shown);
    const lines: string[] = [];
    if (existing !== undefined && /(^|\s)ms-leakscan\s+staged\b/m.test(existing)) {
      lines.push(`${shown} already runs ms-leakscan staged: nothing changed`);
    } else {
      if (existing !== undefined && !args.force) {
        throw new UserError(
          `${shown} already exists and runs something else — add the line "npx ms-leakscan staged" to it yourself, or rerun ms-leakscan init --force to replace it`,
        );
      }
      makeHookFolder(path.dirname(hookPath), path.dirname(shown));
      // Never through a link: a repository may commit .husky/pre-commit as a link to a file outside it.
      writeFileAtomic(hookPath, HUSKY_HOOK, shown, 0o755);
      lines.push(`${existing === undefined ? 'wrote' : 'replaced'} ${shown}: every git commit now runs "npx ms-leakscan staged" and is refused when it adds a key`);
    }
    // Read without SAFE_GIT_CONFIG, which overrides core.hooksPath for every scan.
    const hooksPath = (await promisify(execFile)('git', ['config', '--get', 'core.hooksPath'], { cwd: repo.top }).catch(() => ({ stdout: '' }))).stdout.trim();
    if (hooksPath.replace(/\/$/, '') !== '.husky/_') {
      lines.push(
        'husky is not set up in this repository yet, so git does not run the hook: run npm install --save-dev husky, ' +
          'add "prepare": "husky" to the scripts of package.json and run npx husky (not "husky init", which would replace the hook with "npm test")',
      );
    }
    return { exitCode: EXIT.clean, stdout: `${lines.join('\n')}\n`, stderr: '' };
  },
};

/** The hook's text, undefined when there is none; a link, FIFO or device in its place is refused (exit 2). */
function readHook(hookPath: string, shown: string): string | undefined {
  try {
    return readSmallFileSync(hookPath, 1024 * 1024);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${shown}: ${describeReadError(error, 'check its permissions', 'a plain hook file (or nothing)')}`);
  }
}

/** `.husky/`, created when missing; a link in its place is refused, so the hook is not written into its target. */
function makeHookFolder(dir: string, shown: string): void {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!stat.isDirectory()) {
    throw new UserError(`${shown}: is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, which ms-leakscan does not write into — replace it with a folder`);
  }
}
