import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { nulSplitter } from '../src/git/exec';
import { OidSet } from '../src/git/oid-set';
import { rawTokenParser } from '../src/git/raw';
import { RawLogParser, RecordedLog, type RawLogVisitor } from '../src/git/raw-log';
import { TempRepo } from './support/git-repo';

/** What a walk of a listing saw, one line per header or file. */
function visitor(seen: string[]): RawLogVisitor {
  return {
    header: (bytes, start, end) => seen.push(`header ${bytes.toString('utf8', start, end)}`),
    file: (f) => seen.push(`${f.regular ? 'regular' : f.deleted ? 'deleted' : 'other'} ${f.oid()} ${f.path()}`),
  };
}

/** The same walk by the string parser `git diff` uses (raw.ts), as the reference. */
function reference(output: Buffer): string[] {
  const seen: string[] = [];
  const parse = rawTokenParser({
    onHeader: (token) => seen.push(`header ${token}`),
    onEntry: (e) => {
      const kind = e.mode === '100644' || e.mode === '100755' ? 'regular' : e.mode === '000000' ? 'deleted' : 'other';
      seen.push(`${kind} ${e.oid} ${e.path}`);
    },
  });
  nulSplitter(parse)(output);
  return seen;
}

describe('RawLogParser and RecordedLog (a history listing read as bytes)', () => {
  let r: TempRepo;
  let output: Buffer;
  beforeAll(() => {
    r = new TempRepo();
    // Paths that look like records or headers, a symbolic link, a deletion, a move, an executable, a merge.
    r.write('a.txt', 'one\n').write('both.txt', 'base\n').write(':colon start', 'x\n').write('sp ace/\x1eodd\nname', 'y\n').write('é.txt', 'z\n').commit('first');
    symlinkSync('a.txt', path.join(r.dir, 'link'));
    r.write('run.sh', '#!/bin/sh\n').executable('run.sh').commit('second');
    r.git('checkout', '-q', '-b', 'side');
    r.write('side.txt', 'side\n').write('a.txt', 'side edit\n').write('both.txt', 'side\n').commit('side work');
    r.git('checkout', '-q', 'main');
    r.remove('é.txt').write('moved/é.txt', 'z\n').write('both.txt', 'main\n').commit('move');
    // A merge that writes a file unlike either parent's: a combined (`::`) record.
    expect(() => r.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side')).toThrow();
    r.write('both.txt', 'resolved\n').commit('merge side');
    r.write('a.txt', 'after merge\n').commit('last');
    output = execFileSync(
      'git',
      ['log', '--reverse', '--topo-order', '--root', '-c', '--raw', '--no-abbrev', '-z', '--no-renames', '--format=\x1e%H\x1f%s', '--all', '--'],
      { cwd: r.dir, env: r.env() },
    );
  });
  afterAll(() => r.cleanup());

  it('sees every commit and file the string parser sees, with merges as their combined records', () => {
    const seen: string[] = [];
    new RawLogParser(visitor(seen)).piece(output);
    const expected = reference(output);
    expect(seen).toEqual(expected);
    expect(expected.filter((line) => line.startsWith('header'))).toHaveLength(6);
    expect(output.includes('\0::100644 100644 100644 ')).toBe(true);
    const resolved = r.git('rev-parse', 'HEAD^:both.txt').trim();
    expect(expected).toContain(`regular ${resolved} both.txt`);
    expect(expected).toEqual(expect.arrayContaining([expect.stringMatching(/^deleted 0{40} é\.txt$/), expect.stringMatching(/^other [0-9a-f]{40} link$/)]));
    expect(expected).toEqual(expect.arrayContaining([expect.stringMatching(/^regular [0-9a-f]{40} :colon start$/), expect.stringMatching(/^regular [0-9a-f]{40} sp ace\/\x1eodd\nname$/)]));
  });

  it.each([1, 2, 3, 7, 41, 100])('gives the same walk however git’s output is cut into chunks (%i bytes), and the same again on replay', (size) => {
    const streamed: string[] = [];
    const log = new RecordedLog(new RawLogParser(visitor(streamed)));
    for (let at = 0; at < output.length; at += size) log.write(output.subarray(at, at + size));
    log.end();
    const replayed: string[] = [];
    log.replay(visitor(replayed));
    expect(streamed).toEqual(reference(output));
    expect(replayed).toEqual(streamed);
  });
});

describe('OidSet', () => {
  const oid = (n: number): string => createHash('sha1').update(`object ${n}`).digest('hex');

  it('answers for names found in a longer run of bytes, and only for whole names', () => {
    const names = Array.from({ length: 5000 }, (_, i) => oid(i));
    const set = new OidSet(names.slice(0, 2500));
    const bytes = Buffer.from(`x ${names.join(' ')} y`, 'latin1');
    names.forEach((name, i) => {
      const at = 2 + i * 41;
      expect(set.has(bytes, at, at + 40)).toBe(i < 2500);
    });
    expect(set.has(bytes, 2, 41)).toBe(false);
    expect(set.has(Buffer.from(names[0].toUpperCase()), 0, 40)).toBe(false);
  });

  it('tells apart names that share their first 16 hex digits (the part it hashes)', () => {
    const prefix = 'ab'.repeat(8);
    const names = Array.from({ length: 300 }, (_, i) => prefix + oid(i).slice(16));
    const set = new OidSet(names.filter((_, i) => i % 2 === 0));
    names.forEach((name, i) => expect(set.has(Buffer.from(name), 0, 40)).toBe(i % 2 === 0));
  });

  it('is empty when made of nothing', () => {
    expect(new OidSet([]).has(Buffer.from(oid(1)), 0, 40)).toBe(false);
  });
});
