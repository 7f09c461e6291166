import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMIT_MSG_BLOCK, HOOK_BLOCK } from '../src/cli/commands/hook-text';
import { REFUSED_COMMIT_HELP } from '../src/cli/commands/staged';
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
  expect(output.replace(/\s+/g, ' ')).toContain('Rotate it now: in the Model Studio console');
  expect(output).not.toContain(secret);
}

/** The lines init adds, as they appear in a hook file. */
const BLOCK = HOOK_BLOCK;

describe('ms-leakscan init', () => {
  let r: TempRepo;
  beforeEach(() => {
    r = new TempRepo();
  });
  afterEach(() => r.cleanup());
  const read = (file: string): string => readFileSync(path.join(r.dir, file), 'utf8');

  it('writes a plain .git/hooks/pre-commit when the project has no husky and no core.hooksPath', async () => {
    const outcome = await run(['init'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(0);
    expect(read('.git/hooks/pre-commit')).toBe(`#!/bin/sh\n${BLOCK}`);
    expect(statSync(path.join(r.dir, '.git/hooks/pre-commit')).mode & 0o111).not.toBe(0);
    expect(read('.git/hooks/commit-msg')).toBe(`#!/bin/sh\n${COMMIT_MSG_BLOCK}`);
    expect(statSync(path.join(r.dir, '.git/hooks/commit-msg')).mode & 0o111).not.toBe(0);
    expect(outcome.stdout).toMatch(/^wrote \.git\/hooks\/pre-commit: every git commit now runs ms-leakscan staged \(the local node_modules\/\.bin one\)/);
    expect(outcome.stdout).toMatch(/\nwrote \.git\/hooks\/commit-msg: every git commit now runs ms-leakscan message on its message/);
    expect(outcome.stdout).toMatch(/\.git\/hooks\/pre-commit and \.git\/hooks\/commit-msg are yours alone \(git does not share hooks\)/);
  });

  it('--no-commit-msg: the pre-commit hook only', async () => {
    const outcome = await run(['init', '--no-commit-msg'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(0);
    expect(existsSync(path.join(r.dir, '.git/hooks/commit-msg'))).toBe(false);
    expect(outcome.stdout).toMatch(/\.git\/hooks\/pre-commit is yours alone/);
  });

  it('adds to an existing commit-msg hook (commitlint), keeps it, and leaves one that runs ms-leakscan message alone', async () => {
    r.write('.husky/commit-msg', 'npx --no -- commitlint --edit "$1"\n');
    const first = await run(['init'], { cwd: r.dir });
    expect(first.stdout).toMatch(/\nadded ms-leakscan message to \.husky\/commit-msg: /);
    expect(read('.husky/commit-msg')).toBe(`npx --no -- commitlint --edit "$1"\n\n${COMMIT_MSG_BLOCK}`);
    expect((await run(['init'], { cwd: r.dir })).stdout).toMatch(/\.husky\/commit-msg already runs ms-leakscan message: nothing changed/);
    r.write('.husky/commit-msg', 'npx ms-leakscan commit-msg "$1"\n');
    await run(['init'], { cwd: r.dir });
    expect(read('.husky/commit-msg')).toBe('npx ms-leakscan commit-msg "$1"\n');
  });

  it('a commit-msg hook it cannot add to stops init before it writes either hook', async () => {
    r.write('.git/hooks/commit-msg', '#!/usr/bin/env python3\nprint("hi")\n');
    const refused = await run(['init'], { cwd: r.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^ms-leakscan: \.git\/hooks\/commit-msg is a python3 script, .* make it run "node_modules\/\.bin\/ms-leakscan message "\$1"" and fail when that fails, or rerun with --force to replace it\n$/);
    expect(existsSync(path.join(r.dir, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('writes .husky/pre-commit when the project uses husky, and says husky is not set up yet', async () => {
    r.write('package.json', JSON.stringify({ devDependencies: { husky: '^9.0.0' } }));
    const outcome = await run(['init'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(0);
    expect(read('.husky/pre-commit')).toBe(BLOCK);
    expect(outcome.stdout).toMatch(/^wrote \.husky\/pre-commit/);
    expect(outcome.stdout).toMatch(/husky is not set up in this repository yet.*npx husky init, then ms-leakscan init again/);
  });

  it('adds its lines to an existing hook, keeping it, and changes nothing the second time', async () => {
    r.write('.husky/pre-commit', 'npx lint-staged\n');
    const first = await run(['init'], { cwd: path.join(r.dir, '.husky') });
    expect(first.stdout).toMatch(/^added ms-leakscan staged to pre-commit:/);
    expect(read('.husky/pre-commit')).toBe(`npx lint-staged\n\n${BLOCK}`);
    const second = await run(['init'], { cwd: r.dir });
    expect(second.stdout).toMatch(/^\.husky\/pre-commit already runs ms-leakscan staged: nothing changed/);
    expect(read('.husky/pre-commit')).toBe(`npx lint-staged\n\n${BLOCK}`);
  });

  it('leaves a hook that runs ms-leakscan its own way alone, and replaces the npx line of earlier versions', async () => {
    r.write('.husky/pre-commit', 'npm test\nnode_modules/.bin/ms-leakscan staged --fail-level error\n');
    expect((await run(['init'], { cwd: r.dir })).stdout).toMatch(/already runs ms-leakscan staged: nothing changed/);
    expect(read('.husky/pre-commit')).toBe('npm test\nnode_modules/.bin/ms-leakscan staged --fail-level error\n');
    r.write('.husky/pre-commit', 'npm test\nnpx ms-leakscan staged\n');
    expect((await run(['init'], { cwd: r.dir })).exitCode).toBe(0);
    expect(read('.husky/pre-commit')).toBe(`npm test\n${BLOCK}`);
  });

  it('puts its lines before a final exit or exec, after which nothing would run', async () => {
    r.write('.git/hooks/pre-commit', '#!/bin/bash\n./check.sh\nexec ./last.sh "$@"\n');
    await run(['init'], { cwd: r.dir });
    expect(read('.git/hooks/pre-commit')).toBe(`#!/bin/bash\n./check.sh\n\n${BLOCK}\nexec ./last.sh "$@"\n`);
  });

  it('refuses to add shell lines to a hook in another language; --force replaces it', async () => {
    r.write('.git/hooks/pre-commit', '#!/usr/bin/env python3\nprint("hi")\n');
    const refused = await run(['init'], { cwd: r.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^ms-leakscan: \.git\/hooks\/pre-commit is a python3 script, to which ms-leakscan init cannot add shell lines — .* --force to replace it\n$/);
    expect(read('.git/hooks/pre-commit')).toBe('#!/usr/bin/env python3\nprint("hi")\n');
    const forced = await run(['init', '--force'], { cwd: r.dir });
    expect(forced.stdout).toMatch(/^replaced \.git\/hooks\/pre-commit/);
    expect(read('.git/hooks/pre-commit')).toBe(`#!/bin/sh\n${BLOCK}`);
  });

  it('adds to the hook in the core.hooksPath folder the repository sets', async () => {
    r.write('hooks dir/pre-commit', '#!/bin/sh\nmake lint\n');
    r.git('config', 'core.hooksPath', 'hooks dir');
    await run(['init'], { cwd: r.dir });
    expect(read('hooks dir/pre-commit')).toBe(`#!/bin/sh\nmake lint\n\n${BLOCK}`);
    expect(existsSync(path.join(r.dir, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('refuses a core.hooksPath from the global config, which holds every repository\'s hooks', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'msl-home-'));
    try {
      writeFileSync(path.join(home, 'gitconfig'), `[core]\n\thooksPath = ${home}/hooks\n`);
      const outcome = await run(['init'], { cwd: r.dir, env: { ...process.env, GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') } });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toMatch(/core\.hooksPath is set outside this repository .* git config --local core\.hooksPath\n$/);
      expect(existsSync(path.join(home, 'hooks'))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('writes the hooks of the main repository from a linked worktree (git runs those)', async () => {
    r.commit('base');
    const linked = `${r.dir}-linked`;
    r.git('worktree', 'add', '-q', linked);
    try {
      expect((await run(['init'], { cwd: linked })).exitCode).toBe(0);
      expect(read('.git/hooks/pre-commit')).toBe(`#!/bin/sh\n${BLOCK}`);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('never writes through a symbolic link in place of the hook or its folder', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'msl-outside-'));
    try {
      writeFileSync(path.join(outside, 'victim'), 'untouched\n');
      mkdirSync(path.join(r.dir, '.husky'));
      symlinkSync(path.join(outside, 'victim'), path.join(r.dir, '.husky/pre-commit'));
      const file = await run(['init'], { cwd: r.dir });
      expect(file.exitCode).toBe(2);
      expect(file.stderr).toMatch(/^ms-leakscan: \.husky\/pre-commit: /);
      rmSync(path.join(r.dir, '.husky'), { recursive: true });
      symlinkSync(outside, path.join(r.dir, '.husky'));
      const folder = await run(['init'], { cwd: r.dir });
      expect(folder.exitCode).toBe(2);
      expect(folder.stderr).toMatch(/\.husky: is a symbolic link, which ms-leakscan does not write into/);
      expect(readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('untouched\n');
      expect(existsSync(path.join(outside, 'pre-commit'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
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

describe('husky v9 pre-commit hook with lint-staged (real husky, real git commit)', () => {
  let r: TempRepo;
  beforeAll(() => {
    r = new TempRepo();
    installInto(r.dir);
    // A stand-in for lint-staged: records that it ran, so the test sees both hooks run.
    r.write('node_modules/.bin/lint-staged', `#!/bin/sh\necho ran >> "${path.join(r.dir, 'lint-staged.ran')}"\n`).executable('node_modules/.bin/lint-staged');
    r.write('.gitignore', 'node_modules/\nlint-staged.ran\n');
  });
  afterAll(() => r.cleanup());

  it('husky init, a lint-staged hook, then ms-leakscan init: both run, a key is refused with the ways forward, then passes', async () => {
    // husky's documented set-up: `npx husky init` (sets core.hooksPath=.husky/_ and writes a pre-commit running npm test).
    const husky = spawnSync(process.execPath, [path.join(r.dir, 'node_modules/.bin/husky'), 'init'], { cwd: r.dir, env: gitTestEnv(), encoding: 'utf8' });
    expect(husky.status).toBe(0);
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    r.write('.husky/pre-commit', 'lint-staged\n');
    const init = await run(['init'], { cwd: r.dir });
    expect(init.stdout).toBe(
      'added ms-leakscan staged to .husky/pre-commit: every git commit now runs ms-leakscan staged (the local node_modules/.bin one) and is refused when it adds a key\n' +
        'wrote .husky/commit-msg: every git commit now runs ms-leakscan message on its message and is refused when the message holds a key\n',
    );
    expect(readFileSync(path.join(r.dir, '.husky/pre-commit'), 'utf8')).toBe(`lint-staged\n\n${BLOCK}`);

    const secret = gen.legacy();
    r.write('app.env', `A=1\nDASHSCOPE_API_KEY=${secret}\n`).git('add', '-A');
    const before = spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).stdout;
    const blocked = gitCommit(r, 'add config');
    expect(blocked.status).not.toBe(0);
    expectBlockedMessage(blocked.output, secret);
    expect(blocked.output).toContain(REFUSED_COMMIT_HELP);
    expect(blocked.output).toContain('husky - pre-commit script failed (code 1)');
    expect(readFileSync(path.join(r.dir, 'lint-staged.ran'), 'utf8')).toBe('ran\n');
    expect(spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).stdout).toBe(before);

    r.write('app.env', 'A=1\nDASHSCOPE_API_KEY=${DASHSCOPE_API_KEY}\n').git('add', '-A');
    const passed = gitCommit(r, 'add config');
    expect(passed.output).toMatch(/0 findings/);
    expect(passed.status).toBe(0);
    expect(readFileSync(path.join(r.dir, 'lint-staged.ran'), 'utf8')).toBe('ran\nran\n');
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('add config');
  });
});

describe('husky v9 commit-msg hook, as the README writes it (real husky, real git commit)', () => {
  let r: TempRepo;
  beforeAll(() => {
    r = new TempRepo();
    installInto(r.dir);
  });
  afterAll(() => r.cleanup());

  it('refuses a message holding a key, then takes one without it', () => {
    expect(spawnSync(process.execPath, [path.join(r.dir, 'node_modules/.bin/husky'), 'init'], { cwd: r.dir, env: gitTestEnv(), encoding: 'utf8' }).status).toBe(0);
    r.write('.husky/pre-commit', 'true\n');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const line = /^echo '(.*)' > \.husky\/commit-msg/m.exec(readme);
    expect(line).not.toBeNull();
    r.write('.husky/commit-msg', `${line![1]}\n`).git('add', '-A');
    const secret = gen.legacy();
    const blocked = gitCommit(r, `Set up, key was ${secret}`);
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toContain('husky - commit-msg script failed (code 1)');
    expect(blocked.output).toContain('commit refused: its message holds the key(s) above');
    expect(blocked.output).not.toContain(secret);
    expect(spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).status).not.toBe(0);
    const passed = gitCommit(r, 'Set up');
    expect(passed.status).toBe(0);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Set up');
  });
});

describe('a plain .git/hooks/pre-commit written by init (real git commit)', () => {
  let r: TempRepo;
  beforeAll(() => {
    r = new TempRepo();
    r.write('app.env', 'A=1\n').commit('base');
  });
  afterAll(() => r.cleanup());

  it('lets a commit through with a warning before npm install, and refuses a key once installed', async () => {
    expect((await run(['init'], { cwd: r.dir })).exitCode).toBe(0);
    const secret = gen.legacy();
    r.write('app.env', `A=1\nDASHSCOPE_API_KEY=${secret}\n`).git('add', 'app.env');
    // No node_modules and no ms-leakscan on PATH: the hook warns and lets the commit through.
    const bare = spawnSync('git', ['commit', '-m', 'unscanned'], { cwd: r.dir, env: gitTestEnv({ PATH: path.dirname(whichGit()) }), encoding: 'utf8' });
    expect(`${bare.stdout}${bare.stderr}`).toContain('this commit was NOT scanned for keys — run npm install');
    expect(bare.status).toBe(0);
    r.git('reset', '-q', '--soft', 'HEAD~1');

    installInto(r.dir);
    const blocked = gitCommit(r, 'with key');
    expect(blocked.status).toBe(1);
    expectBlockedMessage(blocked.output, secret);
    expect(blocked.output).toContain('3. git commit --no-verify commits anyway, skipping this check and every other\n     pre-commit hook.');
    expect(r.git('log', '--format=%s').trim()).toBe('base');

    // The commit-msg hook init wrote: the staged change is clean now, the message is not.
    r.write('app.env', 'A=1\nDASHSCOPE_API_KEY=${DASHSCOPE_API_KEY}\n').git('add', 'app.env');
    const inMessage = gitCommit(r, `read the key from the environment, not ${secret}`);
    expect(inMessage.status).toBe(1);
    expect(inMessage.output).toContain('commit refused: its message holds the key(s) above');
    expect(inMessage.output).not.toContain(secret);
    expect(r.git('log', '--format=%s').trim()).toBe('base');
    expect(gitCommit(r, 'read the key from the environment').status).toBe(0);
  });
});

/** The folder of the git program, so a test can give hooks a PATH with git and sh but without node tools. */
function whichGit(): string {
  return spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
}

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

  /** A project listing hook `id` of a clone of this repository, committed, with `pre-commit install` run for `hookType`. */
  const project = (id: string, installed: boolean, hookType: string): { r: TempRepo; env: NodeJS.ProcessEnv } => {
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
    expect(spawnSync('pre-commit', ['install', '--hook-type', hookType], { cwd: r.dir, env, encoding: 'utf8' }).status).toBe(0);
    return { r, env };
  };

  it.each([
    ['ms-leakscan-system', true],
    ['ms-leakscan', false],
  ])('%s refuses a commit adding a key and passes once it is gone', async (id, installed) => {
    const { r, env } = project(id, installed, 'pre-commit');

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

  it.each([
    ['ms-leakscan-commit-msg-system', true],
    ['ms-leakscan-commit-msg', false],
  ])('%s refuses a message holding a key at the commit-msg stage', (id, installed) => {
    const { r, env } = project(id, installed, 'commit-msg');

    const secret = gen.legacy();
    r.write('a.txt', 'a\n').git('add', '-A');
    const blocked = spawnSync('git', ['commit', '-m', `dashscope key ${secret}`], { cwd: r.dir, env, encoding: 'utf8' });
    const output = `${blocked.stdout}${blocked.stderr}`;
    expect(output).toContain(`- hook id: ${id}`);
    expect(output).toMatch(/COMMIT_EDITMSG\n\s+1:15\s+error\s+sk-/);
    expect(output).not.toContain(secret);
    expect(blocked.status).not.toBe(0);
    const passed = spawnSync('git', ['commit', '-m', 'add a'], { cwd: r.dir, env, encoding: 'utf8' });
    expect(`${passed.stdout}${passed.stderr}`).toMatch(/Passed/);
    expect(passed.status).toBe(0);
  }, 300_000);
});
