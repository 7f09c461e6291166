import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/cli/run';
import { gitTestEnv, TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';

const ROOT = path.resolve(__dirname, '..');
const gen = new KeyGenerator('git-hooks');

/** `ms-leakscan` and `husky` installed into a temporary project the way npm would, from this checkout. */
function installInto(dir: string): void {
  if (!existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run npm run build (npm ci runs it)');
  mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(ROOT, path.join(dir, 'node_modules/ms-leakscan'));
  symlinkSync(path.join(ROOT, 'node_modules/husky'), path.join(dir, 'node_modules/husky'));
  symlinkSync('../ms-leakscan/bin/ms-leakscan.js', path.join(dir, 'node_modules/.bin/ms-leakscan'));
  symlinkSync('../husky/bin.js', path.join(dir, 'node_modules/.bin/husky'));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'demo', private: true, scripts: {} }, null, 2)}\n`);
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
}

/** Runs `git commit` as a person would, hooks and all; returns its exit status and everything it printed. */
function gitCommit(r: TempRepo, message: string): { status: number | null; output: string } {
  const env = { ...gitTestEnv(), HUSKY: '', npm_config_user_agent: '' };
  const res = spawnSync('git', ['commit', '-m', message], { cwd: r.dir, env, encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** What a blocked commit must say: where, what kind of key, the key redacted, and what to do. */
function expectBlockedMessage(output: string, secret: string): void {
  expect(output).toContain('app.env');
  expect(output).toMatch(/^\s+2:19\s+error\s+sk-[0-9a-f]{2}…[0-9a-f]{2}\s+Alibaba Cloud Model Studio API key/m);
  expect(output).toContain(`${secret.slice(0, 5)}…${secret.slice(-2)}`);
  expect(output).toContain('Rotate it now: in the Model Studio console');
  expect(output).not.toContain(secret);
}

describe('ms-leakscan init', () => {
  let r: TempRepo;
  beforeEach(() => {
    r = new TempRepo();
  });
  afterEach(() => r.cleanup());
  const hook = (): string => path.join(r.dir, '.husky/pre-commit');

  it('writes the husky hook and says what it did and what is left', async () => {
    const outcome = await run(['init'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(0);
    expect(readFileSync(hook(), 'utf8')).toBe('npx ms-leakscan staged\n');
    expect(statSync(hook()).mode & 0o111).not.toBe(0);
    expect(outcome.stdout).toMatch(/^wrote \.husky\/pre-commit: every git commit now runs "npx ms-leakscan staged"/);
    expect(outcome.stdout).toMatch(/husky is not set up in this repository yet.*npm install --save-dev husky/);
  });

  it('leaves a hook that already runs ms-leakscan alone', async () => {
    r.write('.husky/pre-commit', 'npm test\nnpx ms-leakscan staged --fail-level error\n');
    const outcome = await run(['init'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/^\.husky\/pre-commit already runs ms-leakscan staged: nothing changed/);
    expect(readFileSync(hook(), 'utf8')).toBe('npm test\nnpx ms-leakscan staged --fail-level error\n');
  });

  it('refuses to overwrite a different hook without --force, and replaces it with --force', async () => {
    r.write('.husky/pre-commit', 'npm test\n');
    const refused = await run(['init'], { cwd: path.join(r.dir, '.husky') });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      'ms-leakscan: pre-commit already exists and runs something else — add the line "npx ms-leakscan staged" to it yourself, or rerun ms-leakscan init --force to replace it\n',
    );
    expect(readFileSync(hook(), 'utf8')).toBe('npm test\n');
    const forced = await run(['init', '--force'], { cwd: r.dir });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(/^replaced \.husky\/pre-commit/);
    expect(readFileSync(hook(), 'utf8')).toBe('npx ms-leakscan staged\n');
  });

  it('refuses a folder outside git', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'msl-plain-'));
    try {
      const outcome = await run(['init'], { cwd: dir });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toMatch(/is not in a git repository — run ms-leakscan init inside a git work tree/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('husky v9 pre-commit hook (real husky, real git commit)', () => {
  let r: TempRepo;
  beforeAll(() => {
    r = new TempRepo();
    installInto(r.dir);
  });
  afterAll(() => r.cleanup());

  it('is set up by husky init then ms-leakscan init --force, refuses a commit adding a key, and passes once it is gone', async () => {
    // husky's documented set-up: `npx husky init` (sets core.hooksPath=.husky/_ and writes a pre-commit running npm test).
    const husky = spawnSync(process.execPath, [path.join(r.dir, 'node_modules/.bin/husky'), 'init'], { cwd: r.dir, env: gitTestEnv(), encoding: 'utf8' });
    expect(husky.status).toBe(0);
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    expect((await run(['init'], { cwd: r.dir })).exitCode).toBe(2);
    const init = await run(['init', '--force'], { cwd: r.dir });
    expect(init.stdout).toBe('replaced .husky/pre-commit: every git commit now runs "npx ms-leakscan staged" and is refused when it adds a key\n');

    const secret = gen.legacy();
    r.write('app.env', `A=1\nDASHSCOPE_API_KEY=${secret}\n`).git('add', '-A');
    const before = spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).stdout;
    const blocked = gitCommit(r, 'add config');
    expect(blocked.status).not.toBe(0);
    expectBlockedMessage(blocked.output, secret);
    expect(blocked.output).toContain('husky - pre-commit script failed (code 1)');
    expect(spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).stdout).toBe(before);

    r.write('app.env', 'A=1\nDASHSCOPE_API_KEY=${DASHSCOPE_API_KEY}\n').git('add', '-A');
    const passed = gitCommit(r, 'add config');
    expect(passed.output).toMatch(/0 findings/);
    expect(passed.status).toBe(0);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('add config');
  });
});

describe('a plain hook under a custom core.hooksPath', () => {
  let r: TempRepo;
  beforeEach(() => {
    r = new TempRepo();
    r.write('app.env', 'A=1\n').commit('base');
    r.write('hooks dir/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/ms-leakscan.js')}" staged\n`).executable('hooks dir/pre-commit');
    r.git('config', 'core.hooksPath', 'hooks dir');
  });
  afterEach(() => r.cleanup());

  // `git commit -a` and `git commit <path>` stage into a temporary index (GIT_INDEX_FILE): that is what is scanned.
  it.each([
    ['git add, then git commit', true, []],
    ['git commit -a', false, ['-a']],
    ['git commit <path>', false, ['--', 'app.env']],
  ])('%s with a key is refused', (_name, add, extra) => {
    const secret = gen.legacy();
    r.write('app.env', `A=1\nDASHSCOPE_API_KEY=${secret}\n`);
    if (add) r.git('add', 'app.env');
    const res = spawnSync('git', ['commit', '-m', 'with key', ...extra], { cwd: r.dir, env: gitTestEnv(), encoding: 'utf8' });
    expect(res.status).toBe(1);
    expectBlockedMessage(`${res.stdout}${res.stderr}`, secret);
    expect(r.git('log', '--format=%s').trim()).toBe('base');
  });
});

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const describePreCommit = preCommit.status === 0 ? describe : describe.skip;
if (preCommit.status !== 0) {
  // eslint-disable-next-line no-console
  console.warn('pre-commit framework tests skipped: the pre-commit binary is not installed (apt-get install pre-commit; .ci/run does it)');
}

/**
 * The pre-commit framework using this repository as a hook source, from a local clone of its committed HEAD
 * (the .pre-commit-hooks.yaml there). `ms-leakscan-system` runs the project's own install and needs nothing
 * from outside; `ms-leakscan` (language: node) makes pre-commit npm-install and pack this repository, which
 * needs the npm registry once and takes tens of seconds.
 */
describePreCommit('pre-commit framework hooks (.pre-commit-hooks.yaml)', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each([
    ['ms-leakscan-system', true],
    ['ms-leakscan', false],
  ])('%s refuses a commit adding a key and passes once it is gone', async (id, installed) => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'msl-pch-'));
    const source = mkdtempSync(path.join(os.tmpdir(), 'msl-hooksrc-'));
    made.push(home, source);
    spawnSync('git', ['clone', '-q', ROOT, source], { encoding: 'utf8' });
    const rev = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: source, encoding: 'utf8' }).stdout.trim();
    const r = new TempRepo();
    made.push(r.dir);
    if (installed) installInto(r.dir);
    r.write('.pre-commit-config.yaml', `repos:\n- repo: ${source}\n  rev: ${rev}\n  hooks:\n  - id: ${id}\n`);
    r.commit('config');
    const env = { ...gitTestEnv(), PRE_COMMIT_HOME: home };
    expect(spawnSync('pre-commit', ['install'], { cwd: r.dir, env, encoding: 'utf8' }).status).toBe(0);

    const secret = gen.legacy();
    r.write('app.env', `A=1\nDASHSCOPE_API_KEY=${secret}\n`).git('add', '-A');
    const blocked = spawnSync('git', ['commit', '-m', 'add config'], { cwd: r.dir, env, encoding: 'utf8' });
    const output = `${blocked.stdout}${blocked.stderr}`;
    expect(output).toContain(`- hook id: ${id}`);
    expectBlockedMessage(output, secret);
    expect(blocked.status).not.toBe(0);

    r.write('app.env', 'A=1\n').git('add', '-A');
    const passed = spawnSync('git', ['commit', '-m', 'add config'], { cwd: r.dir, env, encoding: 'utf8' });
    expect(`${passed.stdout}${passed.stderr}`).toMatch(/Passed/);
    expect(passed.status).toBe(0);
  }, 300_000);
});
