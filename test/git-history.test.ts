import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../src/cli/run';
import type { Finding } from '../src/types';
import { makeZip } from './archive/build-archives';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

const gen = new KeyGenerator('git-history');
const key = (): string => gen.legacy();

/** `path:line @ commit subject` of each finding, sorted: what the tables compare. */
function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.path}:${f.startLine} @ ${f.commit?.message}`).sort();
}

/**
 * A small world with every way a key can live in history: removed later, renamed, in a deleted file, on an
 * unmerged side branch, merged from a branch, written by a merge itself, copied to a second path, in a binary.
 */
function plantedHistory(): { repo: TempRepo; commits: Record<string, string> } {
  const r = new TempRepo();
  const commits: Record<string, string> = {};
  const [removed, renamed, deleted, side, merged, evil, kept] = [key(), key(), key(), key(), key(), key(), key()];
  r.write('README.md', '# demo\n');
  commits.root = r.commit('root');
  r.write('config.py', `# settings\nDASHSCOPE_API_KEY = "${removed}"\n`);
  commits.removedAdded = r.commit('add config with key');
  r.write('config.py', '# settings\nDASHSCOPE_API_KEY = os.environ["DASHSCOPE_API_KEY"]\n');
  commits.removedGone = r.commit('remove key from config');
  r.write('old/name.env', `DASHSCOPE_API_KEY=${renamed}\n`);
  commits.renamedAdded = r.commit('add env file');
  mkdirSync(path.join(r.dir, 'new'));
  r.git('mv', 'old/name.env', 'new/name.env');
  commits.renamed = r.commit('rename env file');
  r.write('new/name.env', `# moved here\nDASHSCOPE_API_KEY=${renamed}\n`);
  commits.renamedEdited = r.commit('edit renamed file');
  r.write('tmp/dump.txt', `dashscope key ${deleted}\n`);
  commits.deletedAdded = r.commit('add dump');
  r.remove('tmp/dump.txt');
  commits.deletedGone = r.commit('delete dump');
  r.write('keep.env', `DASHSCOPE_API_KEY=${kept}\n`);
  commits.keptAdded = r.commit('add keep.env');
  r.write('copy.env', `DASHSCOPE_API_KEY=${kept}\n`);
  commits.copied = r.commit('copy key to a second file');
  r.write('asset.bin', Buffer.concat([Buffer.from([0, 0, 1]), Buffer.from(`DASHSCOPE_API_KEY=${key()}\n`)]));
  r.commit('add binary');

  r.git('checkout', '-q', '-b', 'feature');
  r.write('feature.env', `DASHSCOPE_API_KEY=${merged}\n`);
  commits.mergedAdded = r.commit('feature key');
  r.git('checkout', '-q', 'main');
  r.write('main.txt', 'main\n');
  r.commit('main work');
  r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
  r.write('merge-fix.env', `DASHSCOPE_API_KEY=${evil}\n`);
  r.git('add', '-A');
  commits.merge = r.commit('merge feature');

  r.git('checkout', '-q', '-b', 'unmerged', commits.root);
  r.write('side.env', `DASHSCOPE_API_KEY=${side}\n`);
  commits.sideAdded = r.commit('unmerged side key');
  r.git('checkout', '-q', 'main');
  return { repo: r, commits };
}

const PLANTED = [
  // Issue 13: a binary's printable strings are scanned (reported at line 1 and a byte offset).
  'asset.bin:1 @ add binary',
  'config.py:2 @ add config with key',
  'copy.env:1 @ copy key to a second file',
  'feature.env:1 @ feature key',
  'keep.env:1 @ add keep.env',
  'merge-fix.env:1 @ merge feature',
  'old/name.env:1 @ add env file',
  'side.env:1 @ unmerged side key',
  'tmp/dump.txt:1 @ add dump',
];

describe('ms-leakscan history', () => {
  let world: ReturnType<typeof plantedHistory>;
  beforeAll(() => {
    world = plantedHistory();
  });
  afterAll(() => world.repo.cleanup());

  it('finds every planted key once, at the commit that introduced it', async () => {
    const outcome = await runJson(['history'], world.repo.dir);
    expect(where(outcome.findings)).toEqual(PLANTED);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.errors).toEqual([]);
    expect(outcome.warnings).toEqual([]);
  });

  it('shows paths relative to the folder it runs from', async () => {
    const outcome = await runJson(['history', '--branch', 'unmerged'], path.join(world.repo.dir, 'new'));
    expect(where(outcome.findings)).toEqual(['../side.env:1 @ unmerged side key']);
  });

  it('carries the full commit: sha, author, email, date, first line of the message', async () => {
    const r = new TempRepo();
    try {
      r.write('a.env', `DASHSCOPE_API_KEY=${key()}\n`);
      const sha = r.commit('first line\n\nmore text');
      const [finding] = (await runJson(['history'], r.dir)).findings;
      expect(finding.commit).toEqual({ sha, author: 'Ada Tester', email: 'ada@example.test', date: '2023-11-14T22:14:20+00:00', message: 'first line' });
    } finally {
      r.cleanup();
    }
  });

  it.each([
    ['--branch main', ['--branch', 'main'], PLANTED.filter((p) => !p.includes('side'))],
    ['--branch unmerged', ['--branch', 'unmerged'], ['side.env:1 @ unmerged side key']],
    ['--range root..feature', ['--range', 'ROOT..feature'], PLANTED.filter((p) => !/side|merge-fix/.test(p))],
    ['--since-commit (all refs)', ['--since-commit', 'KEPT'], ['asset.bin:1 @ add binary', 'copy.env:1 @ copy key to a second file', 'feature.env:1 @ feature key', 'merge-fix.env:1 @ merge feature', 'side.env:1 @ unmerged side key']],
    ['--since-commit with --branch', ['--since-commit', 'KEPT', '--branch', 'main'], ['asset.bin:1 @ add binary', 'copy.env:1 @ copy key to a second file', 'feature.env:1 @ feature key', 'merge-fix.env:1 @ merge feature']],
    ['--range of the merge alone', ['--range', 'MERGE^1..MERGE'], ['feature.env:1 @ feature key', 'merge-fix.env:1 @ merge feature']],
  ])('narrows with %s', async (_name, args, expected) => {
    const argv = args.map((a) =>
      a.replace('ROOT', world.commits.root).replace('KEPT', world.commits.keptAdded).replace(/MERGE/g, world.commits.merge),
    );
    const outcome = await runJson(['history', ...argv], world.repo.dir);
    expect(where(outcome.findings)).toEqual(expected);
  });

  it.each([
    [['--branch', 'nope'], /^ms-leakscan: --branch nope: unknown commit or ref in .* — check the name/],
    [['--range', 'main..nope'], /^ms-leakscan: --range nope: unknown commit or ref/],
    [['--range', 'main'], /^ms-leakscan: --range main: expected two commits as A\.\.B/],
    [['--since-commit'], /^ms-leakscan: Not enough arguments following: since-commit — run ms-leakscan --help/],
    [['--branch=--output=/tmp/x'], /^ms-leakscan: --branch --output=\/tmp\/x: not a commit/],
    [['--range', 'main..feature', '--branch', 'main'], /^ms-leakscan: --range cannot be combined/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const outcome = await run(['history', ...args], { cwd: world.repo.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(message);
  });

  it('shows progress on a terminal only, and not with --quiet', async () => {
    const progressOf = async (isTTY: boolean, extra: string[]): Promise<string> => {
      let err = '';
      await run(['history', '--format', 'json', ...extra], { cwd: world.repo.dir, isTTY, writeErr: (t) => (err += t) });
      return err;
    };
    expect(await progressOf(true, [])).toMatch(/ms-leakscan history: \d+ commits.*\d+\/\d+ blobs, .*\/s/);
    expect(await progressOf(true, ['--quiet'])).toBe('');
    expect(await progressOf(false, [])).toBe('');
  });
});

describe('ms-leakscan history on unusual repositories', () => {
  const made: TempRepo[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.cleanup()));
  const repo = (): TempRepo => {
    const r = new TempRepo();
    made.push(r);
    return r;
  };

  it('scans an empty repository as clean', async () => {
    const outcome = await runJson(['history'], repo().dir);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.findings).toEqual([]);
  });

  it('scans a shallow clone as far as it goes and says so', async () => {
    const origin = repo();
    origin.write('a.env', `DASHSCOPE_API_KEY=${key()}\n`).commit('old key');
    origin.write('b.txt', '1\n').commit('two');
    origin.write('c.env', `DASHSCOPE_API_KEY=${key()}\n`).commit('new key');
    const clone = new TempRepo(`${origin.dir}-shallow`, { init: false });
    made.push(clone);
    origin.git('clone', '-q', '--depth', '2', `file://${origin.dir}`, clone.dir);
    const outcome = await runJson(['history'], clone.dir);
    // The boundary commit holds a.env's old key as if added there: found, attributed as far back as history goes.
    expect(where(outcome.findings)).toEqual(['a.env:1 @ two', 'c.env:1 @ new key']);
    expect(outcome.warnings).toEqual([expect.stringMatching(/is a shallow clone: history was scanned only as far back as it goes \(2 commits\).*git fetch --unshallow/)]);
  });

  // Missing and corrupt blobs are recorded, not fatal: see git-unreadable-blobs.test.ts.

  it('says nothing of a blob no commit names (read with every blob of a scan of all refs), even one it cannot open', async () => {
    const r = repo();
    r.write('a.env', 'A=1\n').commit('one');
    // A zip bomb in the object store only (as a dropped stash or an abandoned `git add` leaves one).
    const bomb = path.join(r.dir, 'bomb.zip');
    writeFileSync(bomb, makeZip([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024) }]));
    r.git('hash-object', '-w', bomb);
    rmSync(bomb);
    const named = path.join(r.dir, 'named.zip');
    writeFileSync(named, makeZip([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024 + 1) }]));
    r.git('add', 'named.zip');
    r.commit('a bomb a commit names');
    const outcome = await runJson(['history'], r.dir);
    // Only the named one is an error, at its path (the other would have been 'undefined (blob …)').
    expect(outcome.errors).toEqual([{ path: 'named.zip!zeros', message: expect.stringMatching(/compression ratio/) }]);
  });


  /** Over 1 MB of blobs, so that a scan of all refs reads them in two runs on worker threads (see history.ts). */
  const bigHistory = (): { r: TempRepo; keys: string[] } => {
    const r = repo();
    const keys = [key(), key(), key()];
    const filler = (n: number): string => Array.from({ length: 4000 }, (_, i) => `const line${n}_${i} = ${i * n};\n`).join('');
    for (let n = 0; n < 12; n++) r.write(`src/f${n}.js`, filler(n));
    r.write('src/f0.js', `${filler(0)}const apiKey = "${keys[0]}";\n`).commit('first files');
    r.write('src/f11.js', `${filler(11)}// DASHSCOPE_API_KEY=${keys[1]}\n`).commit('edit last file');
    r.write('deep/f5.env', `${filler(5)}DASHSCOPE_API_KEY=${keys[2]}\n`).commit('env file');
    return { r, keys };
  };

  it('finds every key of a history of over 1 MB of blobs read in two runs, redacted, at its commit', async () => {
    const { r, keys } = bigHistory();
    const outcome = await runJson(['history'], r.dir);
    expect(where(outcome.findings)).toEqual(['deep/f5.env:4001 @ env file', 'src/f0.js:4001 @ first files', 'src/f11.js:4001 @ edit last file']);
    expect(outcome.stats.files).toBe(14);
    expect(outcome.stats.bytes).toBeGreaterThan(1 << 20);
    const shown = JSON.stringify(outcome.findings);
    for (const k of keys) expect(shown).not.toContain(k);
    const clear = await runJson(['history', '--show-secret'], r.dir);
    expect(clear.findings.map((f) => f.secret).sort()).toEqual([...keys].sort());
  });

  it('refuses a corrupt tree (the listing fails) with one line and exit 2', async () => {
    const r = repo();
    r.write('a.env', 'A=1\n').commit('one');
    r.write('b.env', 'B=1\n').commit('two');
    const tree = r.git('rev-parse', 'HEAD^{tree}').trim();
    const file = path.join(r.dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, Buffer.from('garbage'));
    const outcome = await run(['history'], { cwd: r.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(/^ms-leakscan: git could not read the repository: .+ — check it with git fsck, or re-clone it\n$/);
  });

  it('scans a bare repository (a mirror on a server), and baseline --source history records its keys', async () => {
    const origin = repo();
    origin.write('a.env', `DASHSCOPE_API_KEY=${key()}\n`).commit('old key');
    origin.write('a.env', '# gone\n').write('dir/b.env', `DASHSCOPE_API_KEY=${key()}\n`).commit('second key');
    const bare = new TempRepo(`${origin.dir}-mirror.git`, { init: false });
    made.push(bare);
    origin.git('clone', '-q', '--mirror', origin.dir, bare.dir);
    const outcome = await runJson(['history'], bare.dir);
    expect(where(outcome.findings)).toEqual(['a.env:1 @ old key', 'dir/b.env:1 @ second key']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.errors).toEqual([]);
    const inRefs = await runJson(['history', '--branch', 'main'], path.join(bare.dir, 'refs'));
    expect(where(inRefs.findings)).toEqual(['a.env:1 @ old key', 'dir/b.env:1 @ second key']);
    const baseline = await run(['baseline', '--source', 'history', '--no-config'], { cwd: bare.dir });
    expect(baseline.exitCode).toBe(0);
    expect(baseline.stdout.split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(2);
  });

  it('refuses a bare repository for staged, with one line naming history', async () => {
    const bare = new TempRepo(undefined, { bare: true });
    made.push(bare);
    const outcome = await run(['staged'], { cwd: bare.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toBe(
      `ms-leakscan: ${bare.dir} is a bare git repository, which has no work tree or index — run ms-leakscan staged in a clone with a work tree (git clone ${bare.dir}), or use ms-leakscan history, which reads a bare repository\n`,
    );
  });
});
