import { execFileSync } from 'node:child_process';
import { planScan, resolveMode, type Mode } from '../../src/action/plan';
import { UserError } from '../../src/errors';
import { ActionWorld, pullRequestEvent, pushEvent, ZERO } from '../support/action-repos';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('action-plan');

describe('resolveMode', () => {
  it.each([
    ['auto', 'pull_request', 'pull-request'],
    ['auto', 'pull_request_target', 'pull-request'],
    ['auto', 'push', 'push'],
    ['auto', 'schedule', 'working-tree'],
    ['auto', 'workflow_dispatch', 'working-tree'],
    ['full-history', 'push', 'full-history'],
    ['working-tree', 'pull_request', 'working-tree'],
  ] as const)('%s on %s → %s', (mode, event, resolved) => {
    expect(resolveMode(mode, event)).toBe(resolved);
  });
});

describe('planScan against real checkouts', () => {
  let world: ActionWorld;
  let first: string;
  let second: string;
  let full: string;

  beforeAll(() => {
    world = new ActionWorld(gen);
    first = world.featureCommit('src/client.py', `DASHSCOPE_API_KEY = "${world.key}"\n`);
    second = world.featureCommit('docs/notes.md', 'notes\n');
    full = world.checkout('full', 'feature');
  });
  afterAll(() => world.cleanup());

  const plan = (mode: Mode, name: string, payload: Record<string, unknown>, dir = full) => planScan(mode, { name, payload }, dir, '.');

  it('pull request: every commit from base to head and the lines they add, with the base\'s policy', async () => {
    expect(await plan('auto', 'pull_request', pullRequestEvent(world.mainTip, second))).toEqual({
      argv: ['diff', '--base', world.mainTip, '--head', second, '--policy-from', world.mainTip],
      source: 'diff',
      description: `pull request: every commit from ${world.mainTip.slice(0, 12)} to ${second.slice(0, 12)} and the lines they add, with the policy of ${world.mainTip.slice(0, 12)}`,
    });
  });

  it('push: between before and after', async () => {
    expect((await plan('auto', 'push', pushEvent(first, second))).argv).toEqual(['diff', '--base', first, '--head', second, '--policy-from', first]);
  });

  it('new branch (all-zero before): from its merge base with the default branch', async () => {
    expect((await plan('auto', 'push', pushEvent(ZERO, second))).argv).toEqual(['diff', '--base', world.mainTip, '--head', second, '--policy-from', world.mainTip]);
  });

  it('first push of the default branch: the whole history', async () => {
    const result = await plan('auto', 'push', pushEvent(ZERO, world.mainTip, 'refs/heads/main'));
    expect(result).toMatchObject({ argv: ['history'], source: 'history' });
  });

  it('force push whose before is gone: from the merge base with the default branch', async () => {
    expect((await plan('push', 'push', pushEvent('f'.repeat(40), second))).argv).toEqual(['diff', '--base', world.mainTip, '--head', second, '--policy-from', world.mainTip]);
  });

  it.each([
    ['base equal to head', 'pull_request', () => pullRequestEvent(second, second), 'pull request: base and head are the same commit, nothing to scan'],
    ['a deleted branch', 'push', () => pushEvent(second, ZERO), 'push deleted a branch, nothing to scan'],
  ])('%s is not an error and scans nothing', async (_what, name, payload, description) => {
    expect(await plan('auto', name, payload())).toEqual({ source: 'diff', description });
  });

  it('other events and working-tree mode scan the working tree', async () => {
    expect(await plan('auto', 'schedule', {})).toEqual({ argv: ['scan', '.'], source: 'working-tree', description: 'working tree of .' });
  });

  it('full-history mode', async () => {
    expect((await plan('full-history', 'push', pushEvent(first, second))).argv).toEqual(['history']);
  });

  it.each([
    ['pull-request mode without a pull_request payload', 'pull-request', 'push', () => pushEvent(first, second), /^the push event payload has no commit at pull_request\.base\.sha/],
    ['push mode without before/after', 'push', 'schedule', () => ({}), /^the schedule event payload has no commit at after/],
    [
      'a head commit nobody has',
      'pull-request',
      'pull_request',
      () => pullRequestEvent(world.mainTip, 'e'.repeat(40)),
      /^commit e{40} of the pull request is not in the checkout and could not be fetched — set fetch-depth: 0/,
    ],
  ] as const)('%s → UserError', async (_what, mode, name, payload, message) => {
    const p = payload();
    await expect(plan(mode, name, p)).rejects.toThrow(message);
    await expect(plan(mode, name, p)).rejects.toBeInstanceOf(UserError);
  });

  it('deepens a shallow checkout (actions/checkout default depth 1) before a range scan', async () => {
    const shallow = world.checkout('shallow', 'feature', 1);
    expect(execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: shallow, encoding: 'utf8' }).trim()).toBe('true');
    expect((await plan('auto', 'pull_request', pullRequestEvent(world.mainTip, second), shallow)).argv).toEqual(['diff', '--base', world.mainTip, '--head', second, '--policy-from', world.mainTip]);
    expect(execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: shallow, encoding: 'utf8' }).trim()).toBe('false');
  });
});

describe('a shallow checkout that cannot be deepened', () => {
  it('fails saying to set fetch-depth: 0', async () => {
    const world = new ActionWorld(gen);
    try {
      const head = world.featureCommit('a.txt', 'a\n');
      const shallow = world.checkout('shallow', 'feature', 1);
      world.loseOrigin();
      await expect(planScan('auto', { name: 'pull_request', payload: pullRequestEvent(world.mainTip, head) }, shallow, '.')).rejects.toThrow(
        /^the checkout is shallow and git fetch --unshallow failed \(.+\) — set fetch-depth: 0 on actions\/checkout$/,
      );
    } finally {
      world.cleanup();
    }
  });

  it('a folder that is not a repository fails saying to check it out', async () => {
    const world = new ActionWorld(gen);
    try {
      await expect(planScan('full-history', { name: 'push', payload: {} }, world.root, '.')).rejects.toThrow(/is not a git repository — check out the repository/);
    } finally {
      world.cleanup();
    }
  });
});
