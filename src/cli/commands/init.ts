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
import { addHookBlock, HOOK_BLOCK } from './hook-text';

export interface InitCommandArgs {
  force: boolean;
}

/** Where the hook goes and what kind of hook it is. */
interface HookTarget {
  file: string;
  kind: 'husky' | 'hooks-path' | 'git';
}

/** `ms-leakscan init`: adds `ms-leakscan staged` to the repository's pre-commit hook, keeping what it runs. */
export const initCommand = {
  command: 'init',
  describe:
    'Add "ms-leakscan staged" to the pre-commit hook (husky\'s .husky/pre-commit, the core.hooksPath folder, or .git/hooks), keeping what the hook already runs',
  builder: (y: Argv) =>
    y.options({
      force: { type: 'boolean', default: false, describe: 'Replace the existing pre-commit hook with ours instead of adding our lines to it' },
    }),
  async run(args: InitCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const repo = await openRepository(ctx.cwd, 'init');
    const target = await findHookTarget(repo.top, ctx.env);
    const shown = path.relative(ctx.cwd, target.file) || path.basename(target.file);
    const existing = readHook(target.file, shown);
    const lines: string[] = [];
    const next = args.force || existing === undefined ? (target.kind === 'husky' ? HOOK_BLOCK : `#!/bin/sh\n${HOOK_BLOCK}`) : addHookBlock(existing, shown);
    if (next === existing) {
      lines.push(`${shown} already runs ms-leakscan staged: nothing changed`);
    } else {
      makeHookFolder(path.dirname(target.file), path.dirname(shown) || '.');
      // Never through a link: a repository may commit .husky/pre-commit as a link to a file outside it.
      writeFileAtomic(target.file, next, shown, 0o755);
      const verb = existing === undefined ? 'wrote' : args.force ? 'replaced' : 'added ms-leakscan staged to';
      lines.push(`${verb} ${shown}: every git commit now runs ms-leakscan staged (the local node_modules/.bin one) and is refused when it adds a key`);
    }
    if (target.kind === 'husky' && !(await huskyActive(repo.top, ctx.env))) {
      lines.push(
        'husky is not set up in this repository yet, so git does not run the hook: run npm install --save-dev husky and npx husky init, ' +
          'then ms-leakscan init again (husky init replaces .husky/pre-commit with "npm test"; init adds our lines back)',
      );
    }
    if (target.kind === 'git') {
      lines.push(`${shown} is yours alone (git does not share hooks): teammates run ms-leakscan init in their clone, or use husky or the pre-commit framework`);
    }
    return { exitCode: EXIT.clean, stdout: `${lines.join('\n')}\n`, stderr: '' };
  },
};

/**
 * The hook git runs for this repository: the core.hooksPath folder when the repository's own config sets one (husky
 * sets `.husky/_`, whose scripts run `.husky/pre-commit`), husky's file when the project uses husky, else the git
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
        'add the line "node_modules/.bin/ms-leakscan staged" to its pre-commit yourself, or set a hooks folder for this repository with git config --local core.hooksPath',
    );
  }
  if (local) {
    const folder = path.resolve(top, local.replace(/^~(?=\/)/, env.HOME ?? '~'));
    if (path.basename(folder) === '_' && path.basename(path.dirname(folder)) === '.husky') {
      return { file: path.join(path.dirname(folder), 'pre-commit'), kind: 'husky' };
    }
    return { file: path.join(folder, 'pre-commit'), kind: 'hooks-path' };
  }
  if (existsSync(path.join(top, '.husky')) || usesHusky(top)) return { file: path.join(top, '.husky/pre-commit'), kind: 'husky' };
  const common = await git('rev-parse', '--git-common-dir');
  return { file: path.join(path.resolve(top, common || '.git'), 'hooks', 'pre-commit'), kind: 'git' };
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
