import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { places, runJson } from './support/run-json';

const gen = new KeyGenerator('git-patch-lines');

/** 30 numbered lines, then the same with lines inserted at the given 0-based places. */
const base = Array.from({ length: 30 }, (_, i) => `line ${i}`);
function withInserted(inserts: [number, string][]): string {
  const lines = [...base];
  for (const [at, text] of [...inserts].sort((a, b) => b[0] - a[0])) lines.splice(at, 0, text);
  return `${lines.join('\n')}\n`;
}

/**
 * Which lines a change adds is read from git's zero-context patch. An added line whose text starts with `++ ` shows
 * there as `+++ …`, the form of a file header: read as one, it ended the file's line tracking, and every key of
 * the file's later hunks passed `staged` and `diff` as "not added" (exit 0).
 */
describe('added lines that look like patch headers do not hide the keys after them', () => {
  const repos: TempRepo[] = [];
  afterAll(() => repos.forEach((r) => r.cleanup()));
  const world = (): TempRepo => {
    const r = new TempRepo();
    repos.push(r);
    r.write('a.txt', withInserted([]));
    r.commit('base');
    return r;
  };

  it.each([
    ['an added line "++ counter"', '++ counter'],
    ['an added line "++ b/decoy.env", a header naming another file', '++ b/decoy.env'],
    ['an added line "+++ b/a.txt" itself', '+++ b/a.txt'],
  ])('staged: %s, then a key in a later hunk', async (_what, text) => {
    const r = world();
    r.write('a.txt', withInserted([[2, text], [25, `DASHSCOPE_API_KEY=${gen.legacy()}`]]));
    r.git('add', '-A');
    const outcome = await runJson(['staged'], r.dir);
    expect(places(outcome.findings)).toEqual(['a.txt:27']);
    expect(outcome.exitCode).toBe(1);
  });

  it('diff --base --head: the same in a pull request', async () => {
    const r = world();
    const before = r.head();
    r.write('a.txt', withInserted([[2, '++ counter'], [25, `DASHSCOPE_API_KEY=${gen.legacy()}`]]));
    const after = r.commit('counter and a key');
    const outcome = await runJson(['diff', '--base', before, '--head', after], r.dir);
    expect(places(outcome.findings)).toEqual(['a.txt:27']);
    expect(outcome.exitCode).toBe(1);
  });
});
