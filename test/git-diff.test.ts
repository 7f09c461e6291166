import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Log } from 'sarif';
import { run } from '../src/cli/run';
import { FORMATS } from '../src/report';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { validateSarif } from './support/sarif-validator';
import { runJson } from './support/run-json';
import type { Finding } from '../src/types';

const gen = new KeyGenerator('git-diff');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

/**
 * main: base with an old key; pr branches off, adds a key (then edits around it), adds and removes another,
 * touches the file with the old key; main meanwhile drops the old key and adds a key of its own. Lines count as
 * added against the merge base, so main's changes since the fork never show up as the pull request's.
 */
function pullRequestWorld(): { repo: TempRepo; c: Record<string, string> } {
  const r = new TempRepo();
  const c: Record<string, string> = {};
  r.write('old.env', `${envLine()}A=1\n`).write('app.py', 'print(1)\n');
  c.base = r.commit('base with an old key');
  r.git('checkout', '-q', '-b', 'pr');
  r.write('app.py', 'print(1)\nprint(2)\n');
  c.p1 = r.commit('pr: no key');
  r.write('new.env', `X=1\nY=2\n${envLine()}`);
  c.p2 = r.commit('pr: add key');
  r.write('new.env', `${r.git('show', 'HEAD:new.env')}Z=3\n`).write('tmp.env', envLine());
  c.p3 = r.commit('pr: edit and a temporary key');
  r.remove('tmp.env').write('old.env', `${r.git('show', 'HEAD:old.env')}B=2\n`);
  c.p4 = r.commit('pr: drop temporary key, touch old file');
  r.git('checkout', '-q', 'main');
  r.write('main-only.env', envLine()).write('old.env', 'A=1\n'); // main drops the old key: not "added" by the pr
  c.mainAhead = r.commit('main: key after the fork');
  return { repo: r, c };
}

describe('ms-leakscan diff --base --head', () => {
  let world: ReturnType<typeof pullRequestWorld>;
  beforeAll(() => {
    world = pullRequestWorld();
  });
  afterAll(() => world.repo.cleanup());

  /** `path:line @ commit message`, with `(gone)` for a key no longer in the head. */
  const shown = (findings: Finding[]): string[] =>
    findings.map((f) => `${f.path}:${f.startLine} @ ${f.commit?.message}${f.notInHead ? ' (gone)' : ''}`);

  it.each([
    ['pull request: every commit, the removed key at its commit', 'mainAhead', 'p4', ['new.env:3 @ pr: add key', 'tmp.env:1 @ pr: edit and a temporary key (gone)']],
    ['push: one commit', 'p1', 'p2', ['new.env:3 @ pr: add key']],
    ['push: a key added and removed inside the range', 'p2', 'p4', ['tmp.env:1 @ pr: edit and a temporary key (gone)']],
    ['push: the commit that adds the temporary key', 'p2', 'p3', ['tmp.env:1 @ pr: edit and a temporary key']],
    ['base equal to head', 'p4', 'p4', []],
    ['main ahead: its own key counts when main is the head', 'base', 'mainAhead', ['main-only.env:1 @ main: key after the fork']],
  ])('%s', async (_name, base, head, expected) => {
    const outcome = await runJson(['diff', '--base', world.c[base], '--head', world.c[head]], world.repo.dir);
    expect(shown(outcome.findings)).toEqual(expected);
    expect(outcome.exitCode).toBe(expected.length ? 1 : 0);
  });

  it.each([
    ['pull request: the net diff only', 'mainAhead', 'p4', ['new.env:3 @ pr: add key']],
    ['a key added and removed inside the range is not on an added line', 'p2', 'p4', []],
    ['the commit that adds the temporary key', 'p2', 'p3', ['tmp.env:1 @ pr: edit and a temporary key']],
  ])('--net-only, %s', async (_name, base, head, expected) => {
    const outcome = await runJson(['diff', '--net-only', '--base', world.c[base], '--head', world.c[head]], world.repo.dir);
    expect(shown(outcome.findings)).toEqual(expected);
    expect(outcome.exitCode).toBe(expected.length ? 1 : 0);
  });

  it('a key still at head is reported once, at its head line, with the commit that added it (not the later edit)', async () => {
    const outcome = await runJson(['diff', '--base', world.c.base, '--head', world.c.p4], world.repo.dir);
    const atHead = outcome.findings.filter((f) => f.path === 'new.env');
    expect(atHead.map((f) => [f.startLine, f.commit?.sha, f.notInHead])).toEqual([[3, world.c.p2, undefined]]);
  });

  it('reads each blob once: the head\'s version of a file, met again in the commit that made it, is not scanned twice', async () => {
    const r = new TempRepo();
    try {
      r.write('README.md', '# x\n');
      const base = r.commit('base');
      r.write('a.env', envLine());
      const adds = r.commit('adds a key');
      r.write('README.md', '# y\n');
      const head = r.commit('touches the readme');
      const outcome = await runJson(['diff', '--base', base, '--head', head], r.dir);
      // a.env's blob at head is the one `adds a key` wrote: scanned once, and still named by that commit.
      expect(outcome.findings.map((f) => [f.path, f.commit?.sha])).toEqual([['a.env', adds]]);
      expect(outcome.stats.files).toBe(2); // a.env and README.md: their head versions are the blobs the range's commits wrote
    } finally {
      r.cleanup();
    }
  });

  it('a commit that edits a file holding a key of the base is not blamed for that key', async () => {
    // p4 rewrites old.env, whose first line holds the base's key: the blob is new, the key is not.
    const outcome = await runJson(['diff', '--base', world.c.p3, '--head', world.c.p4], world.repo.dir);
    expect(shown(outcome.findings)).toEqual([]);
    expect(outcome.exitCode).toBe(0);
  });

  it('takes branch names as well as commit ids', async () => {
    const outcome = await runJson(['diff', '--base', 'main', '--head', 'pr'], world.repo.dir);
    expect(outcome.findings.map((f) => f.commit?.sha)).toEqual([world.c.p2, world.c.p3]);
  });

  it.each([
    [['--base', 'nope', '--head', 'pr'], /^ms-leakscan: --base nope: unknown commit or ref in .* — check the name/],
    [['--base', 'main', '--head', 'deadbeef'], /^ms-leakscan: --head deadbeef: unknown commit or ref/],
    [['--head', 'pr'], /^ms-leakscan: Missing required argument: base — run ms-leakscan --help/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const outcome = await run(['diff', ...args], { cwd: world.repo.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(message);
  });

  it.each(FORMATS)('reports in --format %s with the path and the commit', async (format) => {
    const outcome = await run(['diff', '--base', 'main', '--head', 'pr', '--format', format], { cwd: world.repo.dir });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain('new.env');
    expect(outcome.stdout).toContain(world.c.p2.slice(0, 12));
    expect(outcome.stdout).not.toMatch(/sk-[0-9a-f]{32}/);
  });

  it('a key of the base whose line a commit deletes and a later one puts back is neither the change\'s nor gone', async () => {
    const r = new TempRepo();
    try {
      const line = envLine();
      const base = r.write('a.env', `${line}A=1\n`).commit('base with a key');
      r.write('a.env', 'A=1\n').commit('drop the key line');
      const head = r.write('a.env', `${line}A=1\n`).commit('put it back');
      const outcome = await runJson(['diff', '--base', base, '--head', head], r.dir);
      expect(shown(outcome.findings)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('a key no longer in the head: valid SARIF naming the commit, and a github annotation without a head line', async () => {
    const sarif = await run(['diff', '--base', world.c.p2, '--head', world.c.p4, '--format', 'sarif', '--output', 'diff.sarif'], { cwd: world.repo.dir });
    expect(sarif.exitCode).toBe(1);
    const file = path.join(world.repo.dir, 'diff.sarif');
    try {
      const verdict = validateSarif(file);
      expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
      const [result] = (JSON.parse(readFileSync(file, 'utf8')) as Log).runs[0].results!;
      expect(result.locations![0].physicalLocation!.artifactLocation!.uri).toBe('tmp.env');
      expect(result.message.text).toContain(`A later commit removed it, so this location is in commit ${world.c.p3.slice(0, 12)}, not in the head`);
      expect(result.properties).toMatchObject({ notInHead: true, commit: { sha: world.c.p3 } });
    } finally {
      rmSync(file, { force: true });
    }
    const github = await run(['diff', '--base', world.c.p2, '--head', world.c.p4, '--format', 'github'], { cwd: world.repo.dir });
    const [annotation] = github.stdout.split('\n');
    expect(annotation).toMatch(/^::error title=[^:]+::/);
    expect(annotation).toContain(`A later commit removed it: it is in tmp.env line 1 of commit ${world.c.p3.slice(0, 12)}, not in the head`);
  });
});

/**
 * A pull request that adds a key and, next to it, a policy that lets the key through. The work tree is checked
 * out at the pull request (as in CI), so without --policy-from its own policy applies; with --policy-from the
 * base's does, and the report says that the change to the policy applies once merged.
 */
describe('ms-leakscan diff --policy-from', () => {
  const r = new TempRepo();
  const c: Record<string, string> = {};
  const BASE_CONFIG = { allowPaths: ['fixtures/**'], baseline: '.ms-leakscan-baseline' };

  /** A branch off main with a key in src/app.env and whatever else `extra` writes; left checked out. */
  function branch(name: string, extra: (repo: TempRepo) => void): void {
    r.git('checkout', '-q', '-b', name, c.base);
    r.write('src/app.env', envLine());
    extra(r);
    c[name] = r.commit(`${name}: a key and a policy that allows it`);
  }

  beforeAll(async () => {
    r.write('.ms-leakscan.json', JSON.stringify(BASE_CONFIG)).write('.ms-leakscan-baseline', '# empty\n').write('app.py', 'print(1)\n');
    c.base = r.commit('base policy');
    branch('pr-config', (repo) => repo.write('.ms-leakscan.json', JSON.stringify({ ...BASE_CONFIG, allowPaths: ['**'] })));
    branch('pr-package', (repo) => repo.remove('.ms-leakscan.json').write('package.json', JSON.stringify({ name: 'x', 'ms-leakscan': { allowPaths: ['**'] } })));
    branch('pr-nearer', (repo) => repo.write('src/.ms-leakscan.json', JSON.stringify({ allowPaths: ['**'] })));
    branch('pr-fixture', (repo) => repo.remove('src/app.env').write('fixtures/sample.env', envLine()));
    // The baseline lists the pull request's own key: its fingerprint, from a scan that ignores the policy.
    r.git('checkout', '-q', '-b', 'pr-baseline', c.base);
    r.write('src/app.env', envLine());
    const [key] = (await runJson(['scan', 'src', '--no-config'], r.dir)).findings;
    r.write('.ms-leakscan-baseline', `# baseline\n${key.ruleId} ${key.fingerprint}\n`);
    c['pr-baseline'] = r.commit('pr-baseline: a key and a baseline that lists it');
  });
  afterAll(() => r.cleanup());

  it.each([
    ['a config that allows every path', 'pr-config', ['.ms-leakscan.json']],
    ['a package.json key replacing the config', 'pr-package', ['.ms-leakscan.json', 'package.json']],
    ['a nearer config in the key\'s folder', 'pr-nearer', ['src/.ms-leakscan.json']],
    ['a baseline that lists the key', 'pr-baseline', ['.ms-leakscan-baseline']],
  ])('%s: passes with its own policy, fails with the base\'s, and is told the change applies after merge', async (_what, name, changed) => {
    r.git('checkout', '-q', name);
    const cwd = name === 'pr-nearer' ? path.join(r.dir, 'src') : r.dir;
    const own = await runJson(['diff', '--base', c.base, '--head', c[name]], cwd);
    expect(own.findings).toEqual([]);
    const based = await runJson(['diff', '--base', c.base, '--head', c[name], '--policy-from', c.base], cwd);
    expect(based.exitCode).toBe(1);
    expect(based.findings.map((f) => `${f.path}:${f.startLine}`)).toEqual([name === 'pr-nearer' ? 'app.env:1' : 'src/app.env:1']);
    expect(based.warnings).toEqual([
      `policy: the scanned change edits ${changed.join(', ')}; this scan used the config and baseline of ${c.base.slice(0, 12)} (--policy-from), and the change applies once it is merged`,
    ]);
  });

  it('applies the base\'s policy (its allowPaths), and says nothing when the change leaves the policy alone', async () => {
    r.git('checkout', '-q', 'pr-fixture');
    const based = await runJson(['diff', '--base', c.base, '--head', c['pr-fixture'], '--policy-from', c.base], r.dir);
    expect(based).toMatchObject({ exitCode: 0, findings: [], warnings: [] });
    const without = await runJson(['diff', '--base', c.base, '--head', c['pr-fixture'], '--policy-from', c.base, '--no-config'], r.dir);
    expect(without.findings.map((f) => f.path)).toEqual(['fixtures/sample.env']);
  });

  it('--config names the file in the commit, not on disk', async () => {
    r.git('checkout', '-q', 'pr-config');
    const based = await runJson(['diff', '--base', c.base, '--head', c['pr-config'], '--policy-from', c.base, '--config', '.ms-leakscan.json'], r.dir);
    expect(based.findings.map((f) => f.path)).toEqual(['src/app.env']);
  });

  it.each([
    [['--policy-from', 'nope'], /^ms-leakscan: --policy-from nope: unknown commit or ref in .* — check the name/],
    [['--policy-from', 'main', '--config', 'missing.json'], /^ms-leakscan: config [0-9a-f]{12}:missing\.json: commit [0-9a-f]{12} \(--policy-from\) has no such file — commit it there, or fix the path given to --config\n$/],
    [['--policy-from', 'pr-config', '--config', 'src'], /^ms-leakscan: config [0-9a-f]{12}:src: is not a regular file in that commit \(mode 040000\) — the config must be a plain file/],
  ])('%j: one line and exit 2', async (args, message) => {
    r.git('checkout', '-q', 'pr-config');
    const outcome = await run(['diff', '--base', c.base, '--head', c['pr-config'], ...args], { cwd: r.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(message);
  });

  it('refuses a config that is a symbolic link in the policy commit', async () => {
    r.git('checkout', '-q', '-b', 'linked', c.base);
    r.remove('.ms-leakscan.json');
    symlinkSync('/etc/passwd', path.join(r.dir, '.ms-leakscan.json'));
    const linked = r.commit('config as a link');
    const outcome = await run(['diff', '--base', c.base, '--head', c['pr-config'], '--policy-from', linked], { cwd: r.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/^ms-leakscan: config [0-9a-f]{12}:\.ms-leakscan\.json: is not a regular file in that commit \(mode 120000\)/);
    expect(outcome.stderr).not.toContain('root:');
  });
});
