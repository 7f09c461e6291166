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

describe('a key over two lines counts as added when either line is', () => {
  it('staged: base64 wrapped at 76 columns, a change of the key\'s second half only (the line it starts on is unchanged)', async () => {
    const r = new TempRepo();
    try {
      const first = gen.legacy();
      // A key with the first's beginning and a new end: the base64 line holding the beginning stays as it was.
      const second = first.slice(0, 12) + gen.legacy().slice(12);
      const wrapped = (key: string): string => `${(Buffer.from(`# staging\nREGION=cn-beijing\nDASHSCOPE_API_KEY=${key}\nX=1\n`).toString('base64').match(/.{1,76}/g) as string[]).join('\n')}\n`;
      expect(wrapped(second).split('\n')[0]).toBe(wrapped(first).split('\n')[0]);
      r.write('env.b64', wrapped(first));
      r.commit('base');
      r.write('env.b64', wrapped(second));
      r.git('add', '-A');
      const outcome = await runJson(['staged'], r.dir);
      expect(outcome.findings.map((f) => [f.path, f.startLine, f.endLine, f.decoded])).toEqual([['env.b64', 1, 2, 'base64']]);
      expect(outcome.exitCode).toBe(1);
    } finally {
      r.cleanup();
    }
  });
});
