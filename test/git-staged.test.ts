import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/cli/run';
import { TempRepo, tempRepos } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { places, runJson } from './support/run-json';

const gen = new KeyGenerator('git-staged');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

const repo = tempRepos();

/** Each case builds a repository, stages something, and says which `path:line` `staged` must report. */
const cases: [string, (r: TempRepo) => void, string[]][] = [
  ['first commit (no HEAD yet)', (r) => r.write('.env', envLine()).git('add', '.env'), ['.env:1']],
  [
    'key staged, then removed from the working file',
    (r) => {
      r.write('app.env', `A=1\n${envLine()}`).git('add', 'app.env');
      r.write('app.env', 'A=1\n');
    },
    ['app.env:2'],
  ],
  [
    'key only in the working tree of a tracked file',
    (r) => {
      r.write('app.env', 'A=1\n').commit('base');
      r.write('app.env', `A=1\n${envLine()}`);
    },
    [],
  ],
  ['key in an untracked file', (r) => r.write('notes.env', envLine()), []],
  [
    'a changed line holding the key is reported at its new line number',
    (r) => {
      r.write('app.env', 'A=1\nB=2\nC=3\n').commit('base');
      r.write('app.env', `A=1\nB=2\n${envLine()}`).git('add', 'app.env');
    },
    ['app.env:3'],
  ],
  [
    'deleted file holding a key is ignored',
    (r) => {
      r.write('old.env', envLine()).commit('old');
      r.git('rm', '-q', 'old.env');
    },
    [],
  ],
  [
    'pure rename of a file holding a key adds no line',
    (r) => {
      r.write('old.env', `${envLine()}X=1\nY=2\n`).commit('old');
      r.git('mv', 'old.env', 'new.env');
    },
    [],
  ],
  [
    'rename with a new key reports the new key at the new path',
    (r) => {
      r.write('old.env', 'X=1\nY=2\nZ=3\nW=4\n').commit('old');
      r.git('mv', 'old.env', 'new.env');
      r.write('new.env', `X=1\nY=2\nZ=3\nW=4\n${envLine()}`).git('add', 'new.env');
    },
    ['new.env:5'],
  ],
  [
    // Issue 13: a binary's printable strings are scanned; one too short to hold a key (under 20 characters) is not.
    'binary file: its strings are scanned',
    (r) => r.write('blob.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(envLine())])).git('add', 'blob.bin'),
    ['blob.bin:1'],
  ],
  [
    'binary file with only short strings: nothing',
    (r) => r.write('blob.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from('short text\n'), Buffer.from([0, 0])])).git('add', 'blob.bin'),
    [],
  ],
  [
    'paths with spaces, quotes and non-ASCII characters',
    (r) => {
      r.write('dir with space/"quoted" name.env', 'X=1\n').write('配置/キー ü.env', 'X=1\n').write('tab\there.env', 'X=1\n').commit('base');
      r.write('dir with space/"quoted" name.env', `X=1\n${envLine()}`);
      r.write('配置/キー ü.env', `X=1\n${envLine()}`);
      r.write('tab\there.env', `X=1\n${envLine()}`);
      r.write('新しい "file".env', envLine());
      r.git('add', '-A');
    },
    ['dir with space/"quoted" name.env:2', 'tab\there.env:2', '新しい "file".env:1', '配置/キー ü.env:2'],
  ],
  [
    'a -diff attribute does not hide added lines',
    (r) => {
      r.write('.gitattributes', '*.env -diff\n').write('app.env', 'A=1\n').commit('base');
      r.write('app.env', `A=1\n${envLine()}`).git('add', 'app.env');
    },
    ['app.env:2'],
  ],
  [
    'symbolic link is not followed',
    (r) => {
      r.write('target.txt', 'x\n').commit('base');
      r.git('config', 'core.symlinks', 'true');
      r.write('outside.env', envLine());
      symlinkSync('outside.env', path.join(r.dir, 'link.env'));
      r.git('add', 'link.env');
    },
    [],
  ],
];

describe('ms-leakscan staged', () => {
  it.each(cases)('%s', async (_name, build, expected) => {
    const r = repo();
    build(r);
    const outcome = await runJson(['staged'], r.dir);
    expect(places(outcome.findings)).toEqual(expected);
    expect(outcome.exitCode).toBe(expected.length ? 1 : 0);
    expect(outcome.errors).toEqual([]);
  });

  it('reports an old key on an untouched line only with --all-lines', async () => {
    const r = repo();
    r.write('app.env', `${envLine()}B=2\n`).commit('old key');
    r.write('app.env', `${r.git('show', 'HEAD:app.env')}C=3\n`).git('add', 'app.env');
    expect(places((await runJson(['staged'], r.dir)).findings)).toEqual([]);
    expect(places((await runJson(['staged', '--all-lines'], r.dir)).findings)).toEqual(['app.env:1']);
  });

  it('reports paths relative to a subfolder it runs from', async () => {
    const r = repo();
    r.write('sub/deep/a.env', envLine()).write('top.env', envLine()).git('add', '-A');
    const outcome = await runJson(['staged'], path.join(r.dir, 'sub'));
    expect(places(outcome.findings)).toEqual(['../top.env:1', 'deep/a.env:1']);
  });

  it('scans the index of a linked worktree, not the main one', async () => {
    const r = repo();
    r.write('a.txt', 'x\n').commit('base');
    const linked = `${r.dir}-linked`;
    r.git('worktree', 'add', '-q', '-b', 'other', linked);
    const w = repo(new TempRepo(linked, { init: false }));
    w.write('in linked.env', envLine()).git('add', '-A');
    expect(places((await runJson(['staged'], linked)).findings)).toEqual(['in linked.env:1']);
    expect(places((await runJson(['staged'], r.dir)).findings)).toEqual([]);
  });

  it('never runs textconv, filters, fsmonitor or hooks from the repository config', async () => {
    const r = repo();
    r.write('app.env', 'A=1\n').commit('base');
    r.write('app.env', `A=1\n${envLine()}`).git('add', 'app.env');
    const marker = path.join(r.dir, 'PWNED');
    const evil = `touch '${marker}'; cat`;
    r.write('.git/info/attributes', '* diff=evil filter=evil\n');
    for (const [key, value] of [
      ['diff.evil.textconv', evil],
      ['diff.external', evil],
      ['filter.evil.clean', evil],
      ['filter.evil.smudge', evil],
      ['core.fsmonitor', evil],
      ['core.pager', evil],
    ]) {
      r.git('config', key, value);
    }
    const outcome = await runJson(['staged'], r.dir);
    expect(places(outcome.findings)).toEqual(['app.env:2']);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['a folder outside any repository', () => mkdtempSync(path.join(os.tmpdir(), 'msl-plain-')), /is not in a git repository — run ms-leakscan staged inside a git work tree/],
    ['a bare repository', () => new TempRepo(undefined, { bare: true }).dir, /is a bare git repository, which has no work tree or index/],
  ])('refuses %s with one line and exit 2', async (_name, make, message) => {
    const dir = make();
    try {
      const outcome = await run(['staged'], { cwd: dir });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toMatch(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
