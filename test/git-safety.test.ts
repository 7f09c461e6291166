import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../src/cli/run';
import { SAFE_GIT_ENV } from '../src/git/exec';
import type { Finding } from '../src/types';
import { gitTestEnv, TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

const gen = new KeyGenerator('git-safety');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.path}:${f.startLine}${f.commit ? ` @ ${f.commit.message}` : ''}`).sort();
}

/**
 * A partial clone whose promisor remote is an ssh:// URL and whose `core.sshCommand` writes a marker file: any lazy
 * fetch (of a blob or tree the clone lacks) runs the command. The marker sits next to the clone, where
 * `touch ../PWNED` from the clone's folder would put it.
 */
interface HostileClone {
  clone: TempRepo;
  marker: string;
  commits: string[];
}

const made: TempRepo[] = [];
const leftovers: string[] = [];
afterEach(() => {
  made.splice(0).forEach((r) => r.cleanup());
  for (const file of leftovers.splice(0)) rmSync(file, { force: true });
});
function repo(dir?: string, init?: boolean): TempRepo {
  const r = new TempRepo(dir, { init });
  made.push(r);
  return r;
}

function hostileClone(
  filter: 'blob:none' | 'tree:0',
  configure: (clone: TempRepo, evil: Record<string, string>) => void = setConfig,
  checkout = filter === 'blob:none',
): HostileClone {
  const origin = repo();
  origin.git('config', 'uploadpack.allowFilter', 'true');
  const commits = [
    origin.write('a.env', envLine()).write('README.md', '# x\n').commit('one'),
    origin.write('a.env', `# edited\n${envLine()}`).commit('two'),
    origin.write('b.env', envLine()).commit('three'),
  ];
  const clone = repo(`${origin.dir}-clone`, false);
  origin.git('clone', '-q', ...(checkout ? [] : ['--no-checkout']), `--filter=${filter}`, `file://${origin.dir}`, clone.dir);
  const marker = path.join(path.dirname(clone.dir), `PWNED-${path.basename(clone.dir)}`);
  leftovers.push(marker);
  configure(clone, {
    'remote.origin.url': 'ssh://example.invalid/repo.git',
    'core.sshCommand': `sh -c "touch '${marker}'" --`,
    'protocol.ssh.allow': 'always',
  });
  return { clone, marker, commits };
}

function setConfig(clone: TempRepo, evil: Record<string, string>): void {
  for (const [key, value] of Object.entries(evil)) clone.git('config', key, value);
}

/** The same settings in a file of the work tree that `.git/config` includes (`includeIf` on the git directory). */
function includeFromWorkTree(clone: TempRepo, evil: Record<string, string>): void {
  const lines = Object.entries(evil).map(([key, value]) => {
    const dot = key.lastIndexOf('.');
    const [section, sub] = key.slice(0, dot).split(/\.(.*)/s);
    return `[${section}${sub ? ` "${sub}"` : ''}]\n\t${key.slice(dot + 1)} = ${JSON.stringify(value)}\n`;
  });
  clone.write('evil.gitconfig', lines.join(''));
  clone.git('config', `includeIf.gitdir:${clone.dir}/.git.path`, '../evil.gitconfig');
  expect(clone.git('config', 'core.sshCommand').trim()).toBe(evil['core.sshCommand']);
}

/** A blob the clone lacks, as git itself lists it (without fetching). */
function missingObjects(clone: TempRepo): string[] {
  return clone
    .git('rev-list', '--objects', '--missing=print', '--all')
    .split('\n')
    .filter((l) => l.startsWith('?'))
    .map((l) => l.slice(1));
}

describe('git never fetches, so a hostile partial clone cannot run a command', () => {
  it('the marker command runs when plain git lazily fetches (the test can fail)', () => {
    const { clone, marker } = hostileClone('blob:none');
    const [oid] = missingObjects(clone);
    spawnSync('git', ['cat-file', '-p', oid], { cwd: clone.dir, env: gitTestEnv(), stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  // git 2.39 (this machine's) has GIT_NO_LAZY_FETCH only since its 2.39.4 security release; older ones have none:
  // each of our settings alone must stop the fetch, so that the others still hold on any git we support.
  it.each([
    ['GIT_ALLOW_PROTOCOL empty', { GIT_ALLOW_PROTOCOL: '' }],
    ['GIT_NO_LAZY_FETCH', { GIT_NO_LAZY_FETCH: '1' }],
  ])('%s alone stops the lazy fetch, even with protocol.ssh.allow=always in the repository', (_name, env) => {
    const { clone, marker } = hostileClone('blob:none');
    const [oid] = missingObjects(clone);
    const result = spawnSync('git', ['cat-file', '-p', oid], { cwd: clone.dir, env: gitTestEnv(env), encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('our environment overrides what the repository allows: -c protocol.allow=never alone does not', () => {
    const { clone, marker } = hostileClone('blob:none');
    const [oid] = missingObjects(clone);
    spawnSync('git', ['-c', 'protocol.allow=never', 'cat-file', '-p', oid], { cwd: clone.dir, env: gitTestEnv(), stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true); // why GIT_ALLOW_PROTOCOL is the setting that matters
    rmSync(marker);
    expect(SAFE_GIT_ENV).toMatchObject({ GIT_ALLOW_PROTOCOL: '', GIT_NO_LAZY_FETCH: '1' });
  });

  describe.each([
    ['in .git/config', setConfig],
    ['in a work-tree file that .git/config includes (includeIf)', includeFromWorkTree],
  ])('promisor remote with core.sshCommand %s', (_where, configure) => {
    it('history (all refs, --branch, --range) and diff report the missing blob and never run the command', async () => {
      const { clone, marker, commits } = hostileClone('blob:none', configure);
      expect(missingObjects(clone)).toHaveLength(1); // the first a.env
      for (const argv of [['history'], ['history', '--branch', 'main'], ['history', '--range', `${commits[0]}..${commits[2]}`], ['history', '--since-commit', commits[0]]]) {
        const outcome = await runJson(argv, clone.dir);
        expect(existsSync(marker)).toBe(false);
        expect(outcome.stderr).not.toMatch(/unexpected/);
      }
      const history = await runJson(['history'], clone.dir);
      expect(where(history.findings)).toEqual(['a.env:2 @ two', 'b.env:1 @ three']);
      expect(history.errors).toEqual([{ path: 'a.env', message: expect.stringMatching(/is not downloaded by this partial clone \(promisor remote origin\): not scanned$/) }]);
      // The diff's patch needs the missing first version of a.env: the file is scanned whole instead, nothing fetched.
      const diff = await runJson(['diff', '--base', commits[0], '--head', commits[2]], clone.dir);
      expect(existsSync(marker)).toBe(false);
      expect(diff.findings.map((f) => `${f.path}:${f.startLine}`).sort()).toEqual(['a.env:2', 'b.env:1']);
    });
  });

  it('staged, whose patch needs a blob the clone lacks, scans without fetching', async () => {
    // No checkout: the index comes from HEAD's tree, whose blobs the clone has not downloaded.
    const { clone, marker } = hostileClone('blob:none', setConfig, false);
    const offline = { cwd: clone.dir, env: gitTestEnv({ GIT_NO_LAZY_FETCH: '1' }), stdio: 'ignore' as const };
    execFileSync('git', ['read-tree', 'HEAD'], offline);
    clone.write('a.env', `# edited\n${envLine()}${envLine()}`);
    execFileSync('git', ['add', 'a.env'], offline);
    expect(existsSync(marker)).toBe(false);
    const outcome = await runJson(['staged'], clone.dir);
    expect(existsSync(marker)).toBe(false);
    expect(outcome.findings.map((f) => `${f.path}:${f.startLine}`)).toEqual(['a.env:2', 'a.env:3']);
    expect(outcome.warnings).toEqual([expect.stringMatching(/^1 file\(s\) could not be compared with their earlier version, which git cannot read \(a\.env\)/)]);
  });

  it('plain history in a tree-less clone fails with one line and never runs the command', async () => {
    const { clone, marker } = hostileClone('tree:0');
    const outcome = await run(['history'], { cwd: clone.dir });
    expect(existsSync(marker)).toBe(false);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(/this partial clone has not downloaded, and ms-leakscan never lets git fetch on its own — rerun with --fetch-missing/);
  });

  it('config injected through the environment (GIT_CONFIG_COUNT, GIT_CONFIG_PARAMETERS) cannot turn fetching back on', async () => {
    const { clone, marker } = hostileClone('blob:none');
    const saved = { ...process.env };
    Object.assign(process.env, {
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'protocol.allow',
      GIT_CONFIG_VALUE_0: 'always',
      GIT_CONFIG_KEY_1: 'core.useReplaceRefs',
      GIT_CONFIG_VALUE_1: 'true',
      GIT_CONFIG_PARAMETERS: `'protocol.ssh.allow'='always'`,
    });
    try {
      const outcome = await runJson(['history', '--branch', 'main'], clone.dir);
      expect(existsSync(marker)).toBe(false);
      expect(outcome.errors).toHaveLength(1);
    } finally {
      for (const name of ['GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_KEY_1', 'GIT_CONFIG_VALUE_1', 'GIT_CONFIG_PARAMETERS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});

describe('git settings of the repository cannot hide commits or run programs', () => {
  it('history ignores a replace ref that swaps the commit holding a key for a clean one', async () => {
    const r = repo();
    r.write('README.md', '# x\n').commit('root');
    const bad = r.write('k.env', envLine()).commit('add key');
    r.remove('k.env').commit('remove key');
    const fake = r.git('commit-tree', '-p', `${bad}~1`, '-m', 'harmless', `${bad}~1^{tree}`).trim();
    r.git('replace', bad, fake);
    expect(r.git('log', '--format=%s').split('\n')).toContain('harmless'); // git itself is fooled
    for (const argv of [['history'], ['history', '--branch', 'main'], ['history', '--range', `${bad}~1..main`]]) {
      const outcome = await runJson(argv, r.dir);
      expect(where(outcome.findings)).toEqual(['k.env:1 @ add key']);
    }
  });

  it('history ignores grafts (.git/info/grafts) that cut the commit holding a key out of the history', async () => {
    const r = repo();
    const root = r.write('README.md', '# x\n').commit('root');
    r.write('k.env', envLine()).commit('add key');
    const head = r.remove('k.env').commit('remove key');
    r.write('.git/info/grafts', `${head} ${root}\n`);
    expect(r.git('log', '--format=%s')).not.toContain('add key'); // git itself is fooled
    const outcome = await runJson(['history'], r.dir);
    expect(where(outcome.findings)).toEqual(['k.env:1 @ add key']);
  });

  it('history is not blinded by i18n.logOutputEncoding (UTF-16 output would put NULs inside every listing record)', async () => {
    const r = repo();
    r.write('README.md', '# x\n').commit('root');
    r.write('k.env', envLine()).commit('add key');
    r.git('config', 'i18n.logOutputEncoding', 'UTF-16');
    const outcome = await runJson(['history'], r.dir);
    expect(where(outcome.findings)).toEqual(['k.env:1 @ add key']);
  });

  /** Makes HEAD a commit that carries a (fake) PGP signature, so that showing signatures runs gpg.program. */
  function signedHead(r: TempRepo): void {
    const tree = r.git('rev-parse', 'HEAD^{tree}').trim();
    const body = [
      `tree ${tree}`,
      `parent ${r.head()}`,
      'author Ada Tester <ada@example.test> 1700000000 +0000',
      'committer Ada Tester <ada@example.test> 1700000000 +0000',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' ',
      ' AAAA',
      ' -----END PGP SIGNATURE-----',
      '',
      'signed',
      '',
    ].join('\n');
    const oid = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: r.dir, input: body, encoding: 'utf8' }).trim();
    r.git('update-ref', 'refs/heads/main', oid);
  }

  it.each([
    ['log.showSignature with gpg.program', [['log.showSignature', 'true'], ['gpg.program', 'MARK']]],
    ['core.fsmonitor', [['core.fsmonitor', 'MARK']]],
    ['core.pager and pager.<command>', [['core.pager', 'MARK'], ['pager.log', 'MARK'], ['pager.diff', 'MARK']]],
    ['core.alternateRefsCommand', [['core.alternateRefsCommand', 'MARK']]],
    ['credential.helper and core.askPass', [['credential.helper', '!MARK'], ['core.askPass', 'MARK']]],
    ['textconv and external diff drivers', [['diff.external', 'MARK'], ['diff.evil.textconv', 'MARK'], ['diff.evil.command', 'MARK']]],
    ['clean, smudge and process filters', [['filter.evil.clean', 'MARK'], ['filter.evil.smudge', 'MARK'], ['filter.evil.process', 'MARK']]],
    ['hooks (core.hooksPath)', [['core.hooksPath', 'HOOKS']]],
  ])('no command runs %s from the repository config', async (_name, settings) => {
    const r = repo();
    const marker = path.join(path.dirname(r.dir), `PWNED-${path.basename(r.dir)}`);
    // A script, not a shell line: git runs gpg.program without a shell.
    const evil = path.join(path.dirname(r.dir), `evil-${path.basename(r.dir)}.sh`);
    writeFileSync(evil, `#!/bin/sh\ntouch '${marker}'\ncat\n`, { mode: 0o755 });
    leftovers.push(evil, marker);
    const hooks = path.join(r.dir, 'hooks');
    mkdirSync(hooks);
    for (const hook of ['reference-transaction', 'post-checkout', 'pre-commit', 'post-index-change']) {
      r.write(`hooks/${hook}`, `#!/bin/sh\ntouch '${marker}'\n`).executable(`hooks/${hook}`);
    }
    r.write('.gitattributes', '* diff=evil filter=evil\n').write('a.env', '# one\n').commit('one');
    const base = r.head();
    r.write('a.env', `# one\n${envLine()}`).commit('two');
    signedHead(r);
    r.write('b.env', envLine()).git('add', 'b.env');
    for (const [key, value] of settings) r.git('config', key, value.replace('MARK', evil).replace('HOOKS', hooks));
    if (settings[0][0] === 'log.showSignature') {
      execFileSync('git', ['log', '-1'], { cwd: r.dir, env: gitTestEnv(), stdio: 'ignore' });
      expect(existsSync(marker)).toBe(true); // plain git does run it: the test can fail
      rmSync(marker);
    }
    for (const argv of [['history'], ['history', '--branch', 'main'], ['staged'], ['diff', '--base', base, '--head', 'HEAD'], ['.']]) {
      const outcome = await runJson(argv, r.dir);
      expect(outcome.stderr).not.toMatch(/unexpected/);
      expect(existsSync(marker)).toBe(false);
    }
  });
});
