import { UserError } from '../errors';
import { GitError, gitFetch, gitOutput } from '../git/exec';

export const MODES = ['auto', 'pull-request', 'push', 'full-history', 'working-tree'] as const;
export type Mode = (typeof MODES)[number];

/** The bits of a workflow event the action reads: its name and the payload GitHub wrote to GITHUB_EVENT_PATH. */
export interface ActionEvent {
  name: string;
  // The payload is GitHub's JSON; only a few fields are read, each checked before use.
  payload: Record<string, unknown>;
}

/** What to scan: CLI arguments (without output options), or nothing when there is nothing new to scan. */
export interface ScanPlan {
  /** Arguments for run(), or undefined when there is nothing to scan (base equals head, deleted branch). */
  argv?: string[];
  /** Report source: working-tree, diff or history (SARIF category). */
  source: 'working-tree' | 'diff' | 'history';
  /** One line for the log and the job summary. */
  description: string;
}

const ZERO_SHA = /^0+$/;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export function resolveMode(mode: Mode, eventName: string): Exclude<Mode, 'auto'> {
  if (mode !== 'auto') return mode;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') return 'pull-request';
  if (eventName === 'push') return 'push';
  return 'working-tree';
}

function field(payload: unknown, ...keys: string[]): unknown {
  let value = payload;
  for (const key of keys) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function sha(payload: unknown, name: string, ...keys: string[]): string {
  const value = field(payload, ...keys);
  if (typeof value !== 'string' || !SHA.test(value)) {
    throw new UserError(`the ${name} event payload has no commit at ${keys.join('.')} — use mode working-tree or full-history for other events`);
  }
  return value;
}

async function git(repo: string, args: string[]): Promise<string> {
  return (await gitOutput(args, repo)).trim();
}

async function succeeds(repo: string, args: string[], fetch = false): Promise<boolean> {
  try {
    await (fetch ? gitFetch(args, repo) : gitOutput(args, repo));
    return true;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}

const hasCommit = (repo: string, commit: string) => succeeds(repo, ['cat-file', '-e', `${commit}^{commit}`]);

/**
 * A range scan needs the history between the two commits, which a shallow checkout (actions/checkout's default
 * fetch-depth: 1) lacks: fetch the rest, or fail saying how to fix the workflow.
 */
export async function ensureFullHistory(repo: string): Promise<void> {
  if (!(await succeeds(repo, ['rev-parse', '--git-dir']))) {
    throw new UserError(`${repo} is not a git repository — check out the repository with actions/checkout before this action, or use mode working-tree`);
  }
  if ((await git(repo, ['rev-parse', '--is-shallow-repository'])) !== 'true') return;
  try {
    await gitFetch(['--no-tags', '--quiet', '--unshallow'], repo);
  } catch (error) {
    throw new UserError(
      `the checkout is shallow and git fetch --unshallow failed (${(error as Error).message}) — set fetch-depth: 0 on actions/checkout`,
    );
  }
}

/** Fetches commits the checkout does not have (a force-pushed `before`, a fork's head); returns those still missing. */
async function fetchMissing(repo: string, commits: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const commit of commits) {
    if (await hasCommit(repo, commit)) continue;
    await succeeds(repo, ['--no-tags', '--quiet', 'origin', commit], true);
    if (!(await hasCommit(repo, commit))) missing.push(commit);
  }
  return missing;
}

async function rangePlan(repo: string, base: string, head: string, what: string): Promise<ScanPlan> {
  if (base === head) return { source: 'diff', description: `${what}: base and head are the same commit, nothing to scan` };
  await ensureFullHistory(repo);
  const missing = await fetchMissing(repo, [base, head]);
  if (missing.length) {
    throw new UserError(`commit ${missing[0]} of the ${what} is not in the checkout and could not be fetched — set fetch-depth: 0 on actions/checkout`);
  }
  // The policy (config, custom rules, baseline) is the base's, read with git: the change cannot set its own.
  return {
    argv: ['diff', '--base', base, '--head', head, '--policy-from', base],
    source: 'diff',
    description: `${what}: every commit from ${base.slice(0, 12)} to ${head.slice(0, 12)} and the lines they add, with the policy of ${base.slice(0, 12)}`,
  };
}

/**
 * Where a new branch (push with an all-zero `before`) starts: its merge base with the default branch, so only the
 * branch's own commits are scanned. Undefined when there is none (the first push of a repository).
 */
async function newBranchBase(repo: string, payload: Record<string, unknown>, after: string): Promise<string | undefined> {
  const branch = field(payload, 'repository', 'default_branch');
  if (typeof branch !== 'string' || !branch || field(payload, 'ref') === `refs/heads/${branch}`) return undefined;
  if (!(await succeeds(repo, ['check-ref-format', '--branch', branch]))) return undefined;
  const ref = `refs/remotes/origin/${branch}`;
  if (!(await succeeds(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))) {
    await succeeds(repo, ['--no-tags', '--quiet', 'origin', `+refs/heads/${branch}:${ref}`], true);
  }
  try {
    return await git(repo, ['merge-base', ref, after]);
  } catch {
    return undefined;
  }
}

/** Turns the mode and the event into what to scan; deepens a shallow checkout when a range needs it. */
export async function planScan(mode: Mode, event: ActionEvent, repo: string, scanPath: string): Promise<ScanPlan> {
  const resolved = resolveMode(mode, event.name);
  const { payload } = event;
  switch (resolved) {
    case 'working-tree':
      return { argv: ['scan', scanPath], source: 'working-tree', description: `working tree of ${scanPath}` };
    case 'full-history':
      await ensureFullHistory(repo);
      return { argv: ['history'], source: 'history', description: 'full history of every branch and tag' };
    case 'pull-request': {
      const base = sha(payload, event.name, 'pull_request', 'base', 'sha');
      const head = sha(payload, event.name, 'pull_request', 'head', 'sha');
      return rangePlan(repo, base, head, 'pull request');
    }
    case 'push': {
      const after = sha(payload, event.name, 'after');
      const before = sha(payload, event.name, 'before');
      if (ZERO_SHA.test(after) || field(payload, 'deleted') === true) {
        return { source: 'diff', description: 'push deleted a branch, nothing to scan' };
      }
      // A force push can leave `before` unreachable: then scan what the branch has beyond the default branch.
      let forcedAway = false;
      if (!ZERO_SHA.test(before)) {
        await ensureFullHistory(repo);
        forcedAway = (await fetchMissing(repo, [before])).length > 0;
      }
      if (ZERO_SHA.test(before) || forcedAway) {
        await ensureFullHistory(repo);
        const base = await newBranchBase(repo, payload, after);
        if (!base) return { argv: ['history'], source: 'history', description: 'push of a branch with no base to compare with: full history' };
        return rangePlan(repo, base, after, forcedAway ? 'force push' : 'new branch');
      }
      return rangePlan(repo, before, after, 'push');
    }
  }
}
