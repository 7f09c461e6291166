import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Argv } from 'yargs';
import { UserError } from '../../errors';
import { openRepository } from '../../git/repo';
import { describeReadError, readSmallFileSync } from '../../sources/open-regular';
import type { CommandContext, CommandOutcome } from '../context';
import { EXIT } from '../report-outcome';
import { writeFileAtomic } from '../write-atomic';
import { addHookBlock, COMMIT_MSG_HOOK, PRE_COMMIT_HOOK, type HookSpec } from './hook-text';

export interface InitCommandArgs {
  force: boolean;
  commitMsg: boolean;
}

/** The folder the hooks go in and what kind of folder it is. */
interface HookTarget {
  folder: string;
  kind: 'husky' | 'hooks-path' | 'git';
}

/** What a hook of ours does, for the line saying it was written. */
const DOES: Record<HookSpec['name'], string> = {
  'pre-commit': 'every git commit now runs ms-leakscan staged (the local node_modules/.bin one) and is refused when it adds a key',
  'commit-msg': 'every git commit now runs ms-leakscan message on its message and is refused when the message holds a key',
};

/**
 * `ms-leakscan init`: adds `ms-leakscan staged` to the repository's pre-commit hook and `ms-leakscan message` to its
 * commit-msg hook, keeping what each already runs. A hook it cannot add to (another language) stops it before it
 * writes anything.
 */
export const initCommand = {
  command: 'init',
  describe:
    'Add "ms-leakscan staged" to the pre-commit hook and "ms-leakscan message" to the commit-msg hook (husky\'s .husky/, the core.hooksPath folder, or .git/hooks), keeping what the hooks already run',
  builder: (y: Argv) =>
    y.options({
      force: { type: 'boolean', default: false, describe: 'Replace the existing hooks with ours instead of adding our lines to them' },
      'commit-msg': { type: 'boolean', default: true, describe: 'Also the commit-msg hook, for keys in commit messages (--no-commit-msg: the pre-commit hook only)' },
    }),
  async run(args: InitCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const repo = await openRepository(ctx.cwd, 'init');
    const target = await findHookTarget(repo.top, ctx.env);
    const specs = args.commitMsg === false ? [PRE_COMMIT_HOOK] : [PRE_COMMIT_HOOK, COMMIT_MSG_HOOK];
    // Every hook's new text first, so a hook that cannot take our lines stops init before any file is written.
    const plans = specs.map((spec) => {
      const file = path.join(target.folder, spec.name);
      const shown = path.relative(ctx.cwd, file) || path.basename(file);
      const existing = readHook(file, shown);
      const next = args.force || existing === undefined ? (target.kind === 'husky' ? spec.block : `#!/bin/sh\n${spec.block}`) : addHookBlock(existing, shown, spec);
      return { spec, file, shown, existing, next };
    });
    const lines: string[] = [];
    for (const { spec, file, shown, existing, next } of plans) {
      if (next === existing) {
        lines.push(`${shown} already runs ${spec.command}: nothing changed`);
        continue;
      }
      makeHookFolder(path.dirname(file), path.dirname(shown) || '.');
      // Never through a link: a repository may commit .husky/pre-commit as a link to a file outside it.
      writeFileAtomic(file, next, shown, 0o755);
      const verb = existing === undefined ? 'wrote' : args.force ? 'replaced' : `added ${spec.command} to`;
      lines.push(`${verb} ${shown}: ${DOES[spec.name]}`);
    }
    if (target.kind === 'husky' && !(await huskyActive(repo.top, ctx.env))) {
      lines.push(
        'husky is not set up in this repository yet, so git does not run the hooks: run npm install --save-dev husky and npx husky init, ' +
          'then ms-leakscan init again (husky init replaces .husky/pre-commit with "npm test"; init adds our lines back)',
      );
    }
    if (target.kind === 'git') {
      const shown = plans.map((p) => p.shown).join(' and ');
      lines.push(`${shown} ${plans.length > 1 ? 'are' : 'is'} yours alone (git does not share hooks): teammates run ms-leakscan init in their clone, or use husky or the pre-commit framework`);
    }
    return { exitCode: EXIT.clean, stdout: `${lines.join('\n')}\n`, stderr: '' };
  },
};

/**
 * The folder of the hooks git runs for this repository: the core.hooksPath folder when the repository's own config
 * sets one (husky sets `.husky/_`, whose scripts run `.husky/pre-commit`), husky's when the project uses husky, else the git
 * directory's hooks folder (shared by linked worktrees, so `--git-common-dir`, not the worktree's own).
 * Git is called without SAFE_GIT_CONFIG, which overrides core.hooksPath; reading config runs nothing.
 */
async function findHookTarget(top: string, env: NodeJS.ProcessEnv): Promise<HookTarget> {
  const git = (...gitArgs: string[]): Promise<string> => gitValue(top, env, gitArgs);
  const local = await git('config', '--local', '--get', 'core.hooksPath');
  const anywhere = await git('config', '--get', 'core.hooksPath');
  if (!local && anywhere) {
    throw new UserError(
      `core.hooksPath is set outside this repository (${anywhere}, from your global or system git config), so it holds hooks of every repository — ` +
        'add the lines "node_modules/.bin/ms-leakscan staged" to its pre-commit and "node_modules/.bin/ms-leakscan message \"$1\"" to its commit-msg yourself, ' +
          'or set a hooks folder for this repository with git config --local core.hooksPath',
    );
  }
  if (local) {
    const folder = path.resolve(top, local.replace(/^~(?=\/)/, env.HOME ?? '~'));
    if (path.basename(folder) === '_' && path.basename(path.dirname(folder)) === '.husky') {
      return { folder: path.dirname(folder), kind: 'husky' };
    }
    return { folder, kind: 'hooks-path' };
  }
  if (existsSync(path.join(top, '.husky')) || usesHusky(top)) return { folder: path.join(top, '.husky'), kind: 'husky' };
  const common = await git('rev-parse', '--git-common-dir');
  return { folder: path.join(path.resolve(top, common || '.git'), 'hooks'), kind: 'git' };
}

/** package.json names husky among its dependencies (set up or about to be). */
function usesHusky(top: string): boolean {
  try {
    const pkg = JSON.parse(readSmallFileSync(path.join(top, 'package.json'), 1024 * 1024)) as Record<string, Record<string, unknown> | undefined>;
    return Boolean(pkg.devDependencies?.husky ?? pkg.dependencies?.husky);
  } catch {
    return false;
  }
}

async function huskyActive(top: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return (await gitValue(top, env, ['config', '--get', 'core.hooksPath'])).replace(/\/$/, '') === '.husky/_';
}

/** One line of git's answer, empty when git fails (an unset config key exits 1). */
async function gitValue(top: string, env: NodeJS.ProcessEnv, gitArgs: string[]): Promise<string> {
  return (await promisify(execFile)('git', gitArgs, { cwd: top, env }).catch(() => ({ stdout: '' }))).stdout.replace(/\n$/, '');
}

/** The hook's text, undefined when there is none; a link, FIFO or device in its place is refused (exit 2). */
function readHook(hookPath: string, shown: string): string | undefined {
  try {
    return readSmallFileSync(hookPath, 1024 * 1024);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${shown}: ${describeReadError(error, 'check its permissions', 'a plain hook file (or nothing)')}`);
  }
}

/** The hook's folder, created when missing; a link in its place is refused, so the hook is not written into its target. */
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
