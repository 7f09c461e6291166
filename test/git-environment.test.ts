import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/cli/run';
import { gitTestEnv, TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

const gen = new KeyGenerator('git-environment');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function repo(): TempRepo {
  const r = new TempRepo();
  made.push(r.dir);
  return r;
}
function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'msl-elsewhere-'));
  made.push(dir);
  return dir;
}

/** Runs with these variables in the environment git inherits, then restores it. */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('core.worktree and the environment never make a scan silently empty', () => {
  it.each([
    ['another folder', () => folder()],
    ['a folder that does not exist', () => '../../no-such-folder'],
  ])('scan: a repository whose core.worktree points at %s still has its folder scanned (untracked keys too)', async (_name, worktree) => {
    const r = repo();
    r.write('README.md', '# x\n').commit('one');
    r.write('secret.env', envLine());
    r.git('config', 'core.worktree', worktree());
    const outcome = await runJson(['.'], r.dir);
    expect(outcome.findings.map((f) => f.path)).toEqual(['secret.env']);
    expect(outcome.exitCode).toBe(1);
  });

  it('scan: GIT_WORK_TREE pointing elsewhere does not hide the folder being scanned', async () => {
    const r = repo();
    r.write('README.md', '# x\n').commit('one');
    r.write('secret.env', envLine());
    const outcome = await withEnv({ GIT_WORK_TREE: folder() }, () => runJson(['.'], r.dir));
    expect(outcome.findings.map((f) => f.path)).toEqual(['secret.env']);
  });

  it('history and staged honour GIT_DIR and GIT_WORK_TREE, whatever folder they run from', async () => {
    const r = repo();
    r.write('a.env', envLine()).commit('key');
    r.write('b.env', envLine()).git('add', 'b.env');
    const env = { GIT_DIR: path.join(r.dir, '.git'), GIT_WORK_TREE: r.dir };
    const history = await withEnv(env, () => runJson(['history'], folder()));
    expect(history.findings.map((f) => `${path.basename(f.path)} @ ${f.commit?.message}`)).toEqual(['a.env @ key']);
    const staged = await withEnv(env, () => runJson(['staged'], folder()));
    expect(staged.findings.map((f) => path.basename(f.path))).toEqual(['b.env']);
  });

  it('staged honours GIT_INDEX_FILE (as a pre-commit hook of git commit -a or git commit PATH sees it)', async () => {
    const r = repo();
    r.write('README.md', '# x\n').commit('one');
    r.write('key.env', envLine());
    const index = path.join(r.dir, '.git', 'next-index.lock');
    execFileSync('git', ['read-tree', 'HEAD'], { cwd: r.dir, env: gitTestEnv({ GIT_INDEX_FILE: index }) });
    execFileSync('git', ['add', 'key.env'], { cwd: r.dir, env: gitTestEnv({ GIT_INDEX_FILE: index }) });
    expect((await runJson(['staged'], r.dir)).findings).toEqual([]); // the default index has nothing staged
    const outcome = await withEnv({ GIT_INDEX_FILE: index }, () => runJson(['staged'], r.dir));
    expect(outcome.findings.map((f) => `${f.path}:${f.startLine}`)).toEqual(['key.env:1']);
  });

  it('staged refuses a GIT_INDEX_FILE that names no file, with one line, instead of passing as "nothing staged"', async () => {
    const r = repo();
    r.write('key.env', envLine()).git('add', 'key.env');
    const missing = path.join(r.dir, 'no-such-index');
    const outcome = await withEnv({ GIT_INDEX_FILE: missing }, () => run(['staged'], { cwd: r.dir }));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toBe(`ms-leakscan: GIT_INDEX_FILE=${missing} names no file, so there is no index to scan — unset GIT_INDEX_FILE, or point it at the index to check\n`);
  });

  it('history with GIT_OBJECT_DIRECTORY naming an empty folder fails with one line that names the variables (not the values of injected config)', async () => {
    const r = repo();
    r.write('a.env', envLine()).commit('key');
    const empty = folder();
    const header = `'http.extraheader'='AUTHORIZATION: basic ${'dG9rZW4'.repeat(3)}'`;
    const outcome = await withEnv({ GIT_OBJECT_DIRECTORY: empty, GIT_CONFIG_PARAMETERS: header }, () => run(['history'], { cwd: r.dir }));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toContain(`with GIT_OBJECT_DIRECTORY=${empty}, GIT_CONFIG_PARAMETERS set in the environment`);
    expect(outcome.stderr).not.toContain('AUTHORIZATION'); // injected config can carry credentials: named, not shown
  });

  it('a folder outside any repository says which variables were set when GIT_CEILING_DIRECTORIES stops the search', async () => {
    const r = repo();
    mkdirSync(path.join(r.dir, 'sub'));
    const outcome = await withEnv({ GIT_CEILING_DIRECTORIES: r.dir }, () => run(['history'], { cwd: path.join(r.dir, 'sub') }));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/is not in a git repository \(with GIT_CEILING_DIRECTORIES=.* set in the environment/);
  });
});

// Git refuses a repository another user owns; making one needs root (chown). Skipped otherwise.
const asRoot = process.getuid?.() === 0;
(asRoot ? describe : describe.skip)('a repository owned by another user (needs root to chown it)', () => {
  it.each([['history'], ['staged']])('%s names the safe.directory fix in one line', async (command) => {
    const r = repo();
    r.write('a.env', 'A=1\n').commit('one');
    const chownAll = (uid: number): void => {
      execFileSync('chown', ['-R', `${uid}:${uid}`, r.dir]);
    };
    chownAll(65534);
    try {
      const outcome = await run([command], { cwd: r.dir });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toContain(`git config --global --add safe.directory ${r.dir}`);
      expect(outcome.stderr).not.toContain('re-clone');
    } finally {
      chownAll(0);
      chownSync(r.dir, 0, 0);
    }
  });
});
