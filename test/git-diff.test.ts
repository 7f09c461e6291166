import { run } from '../src/cli/run';
import { FORMATS } from '../src/report';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

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

  it.each([
    ['pull request: base tip to head tip', 'mainAhead', 'p4', ['new.env:3 @ pr: add key']],
    ['push: one commit', 'p1', 'p2', ['new.env:3 @ pr: add key']],
    ['push: a key added and removed inside the range is not on an added line', 'p2', 'p4', []],
    ['push: the commit that adds the temporary key', 'p2', 'p3', ['tmp.env:1 @ pr: edit and a temporary key']],
    ['base equal to head', 'p4', 'p4', []],
    ['main ahead: its own key counts when main is the head', 'base', 'mainAhead', ['main-only.env:1 @ main: key after the fork']],
  ])('%s', async (_name, base, head, expected) => {
    const outcome = await runJson(['diff', '--base', world.c[base], '--head', world.c[head]], world.repo.dir);
    expect(outcome.findings.map((f) => `${f.path}:${f.startLine} @ ${f.commit?.message}`)).toEqual(expected);
    expect(outcome.findings.every((f) => f.commit?.sha === world.c[head === 'p4' ? 'p2' : head])).toBe(true);
    expect(outcome.exitCode).toBe(expected.length ? 1 : 0);
  });

  it('takes branch names as well as commit ids', async () => {
    const outcome = await runJson(['diff', '--base', 'main', '--head', 'pr'], world.repo.dir);
    expect(outcome.findings.map((f) => f.commit?.sha)).toEqual([world.c.p2]);
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
});
