import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nulSplitter } from '../src/git/exec';
import { unquotePath } from '../src/git/diff';
import { pathText } from '../src/paths';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { places, runJson } from './support/run-json';

const gen = new KeyGenerator('git-path-names');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

/** Two names that differ only in bytes that are not UTF-8 (a lossy decoding shows both as `bad\ufffd.env`). */
const FF = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff]), Buffer.from('.env')]);
const FE = Buffer.concat([Buffer.from('bad'), Buffer.from([0xfe]), Buffer.from('.env')]);

function writeRaw(r: TempRepo, folder: string, name: Buffer, content: string): void {
  mkdirSync(path.join(r.dir, folder), { recursive: true });
  writeFileSync(Buffer.concat([Buffer.from(path.join(r.dir, folder) + path.sep), name]), content);
}

describe('file names that are not valid UTF-8, from git (staged, diff, history): printed with \\xNN escapes, as the working-tree walk prints them', () => {
  const repos: TempRepo[] = [];
  const repo = (): TempRepo => {
    const r = new TempRepo();
    repos.push(r);
    return r;
  };
  afterAll(() => repos.forEach((r) => r.cleanup()));

  it('staged: each file has its own escaped name, and a key already committed is not "added" by a change of another line', async () => {
    const r = repo();
    const committedKey = envLine();
    writeRaw(r, 'sub', FF, `# one\n${committedKey}`);
    r.commit('root');
    writeRaw(r, 'sub', FF, `# one, changed\n${committedKey}`);
    writeRaw(r, 'sub', FE, envLine());
    r.git('add', '-A');
    const outcome = await runJson(['staged'], r.dir);
    expect(outcome.stderr).toBe('');
    expect(places(outcome.findings)).toEqual(['sub/bad\\xfe.env:1']);
    expect(outcome.exitCode).toBe(1);
    const all = await runJson(['staged', '--all-lines'], r.dir);
    expect(places(all.findings)).toEqual(['sub/bad\\xfe.env:1', 'sub/bad\\xff.env:2']);
  });

  it('history and diff: the two names stay two, each escaped', async () => {
    const r = repo();
    r.write('README.md', '# x\n');
    const base = r.commit('root');
    writeRaw(r, 'sub', FF, envLine());
    writeRaw(r, 'sub', FE, `# two\n${envLine()}`);
    const head = r.commit('keys');
    const history = await runJson(['history'], r.dir);
    expect(history.stderr).toBe('');
    expect(places(history.findings).sort()).toEqual(['sub/bad\\xfe.env:2', 'sub/bad\\xff.env:1']);
    const diff = await runJson(['diff', '--base', base, '--head', head], r.dir);
    expect(diff.stderr).toBe('');
    expect(places(diff.findings).sort()).toEqual(['sub/bad\\xfe.env:2', 'sub/bad\\xff.env:1']);
  });

  it('staged, when the committed version is gone: a name git cannot be given back (not UTF-8) is scanned whole, never skipped', async () => {
    const r = repo();
    const goodKey = envLine();
    writeRaw(r, '', FF, `# one\n${envLine()}`);
    r.write('good.env', `# one\n${goodKey}`);
    r.commit('root');
    // Not named by `HEAD:<path>`: git's arguments are UTF-8.
    const old = r.git('ls-tree', 'HEAD').split('\n').find((line) => line.startsWith('100644') && !line.endsWith('good.env'))!.split(/\s+/)[2];
    writeRaw(r, '', FF, `# one\n${envLine()}${envLine()}`);
    r.write('good.env', `# one, changed\n${goodKey}`);
    r.git('add', '-A');
    rmSync(path.join(r.dir, '.git', 'objects', old.slice(0, 2), old.slice(2)));
    const outcome = await runJson(['staged'], r.dir);
    // good.env is still compared line by line (its committed key is not added); bad\xff.env counts whole.
    expect(places(outcome.findings)).toEqual(['bad\\xff.env:2', 'bad\\xff.env:3']);
    expect(outcome.warnings).toEqual([expect.stringMatching(/could not be compared with their earlier version.*\(bad\\xff\.env\)/)]);
  });
});

describe('the pieces: pathText, nulSplitter, unquotePath', () => {
  it.each([
    ['valid UTF-8 as it is', Buffer.from('dir/café.env'), 'dir/café.env'],
    ['a lone byte escaped', FF, 'bad\\xff.env'],
    ['a cut sequence escaped byte by byte', Buffer.from([0x61, 0xe2, 0x82, 0x62]), 'a\\xe2\\x82b'],
    ['an overlong encoding escaped', Buffer.from([0xc0, 0xaf]), '\\xc0\\xaf'],
    ['a surrogate escaped', Buffer.from([0xed, 0xa0, 0x80]), '\\xed\\xa0\\x80'],
  ])('pathText: %s', (_what, bytes, text) => {
    expect(pathText(bytes)).toBe(text);
  });

  it('nulSplitter: a record cut across chunks, even inside a character, is one record; `utf8` says whether its bytes were', () => {
    const records: [string, boolean][] = [];
    const feed = nulSplitter((record, utf8) => records.push([record, utf8]));
    const stream = Buffer.concat([Buffer.from('café'), Buffer.from([0]), FF, Buffer.from([0]), Buffer.from('x'), Buffer.from([0])]);
    for (let i = 0; i < stream.length; i++) feed(stream.subarray(i, i + 1));
    expect(records).toEqual([
      ['café', true],
      ['bad\\xff.env', false],
      ['x', true],
    ]);
  });

  it.each([
    ['a plain name', 'b/a.env', 'b/a.env'],
    ['a name with a space (git appends a tab)', 'b/a b.env\t', 'b/a b.env'],
    ['raw bytes that are not UTF-8 (core.quotePath=false)', Buffer.concat([Buffer.from('b/'), FF]), 'b/bad\\xff.env'],
    ['a C-quoted name with an octal byte and escapes', '"b/a\\"\\t\\377.env"', 'b/a"\t\\xff.env'],
    ['/dev/null', '/dev/null', undefined],
  ])('unquotePath: %s', (_what, raw, name) => {
    expect(unquotePath(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw)).toBe(name);
  });
});
