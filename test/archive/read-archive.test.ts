import zlib from 'node:zlib';
import { readArchive, type ArchiveEntry } from '../../src/archive';
import { KeyGenerator } from '../support/keys';
import { makeTar, makeZip } from './build-archives';

const gen = new KeyGenerator('archive-tests');
const key = gen.legacy();
const env = `DASHSCOPE_API_KEY=${key}\n`;

const members = (entries: ArchiveEntry[]): [string, string][] =>
  entries.flatMap((e) => (e.kind === 'member' ? [[e.path, e.bytes.toString('utf8')] as [string, string]] : []));
const problems = (entries: ArchiveEntry[]): [string, string][] =>
  entries.flatMap((e) => (e.kind === 'problem' ? [[e.path, e.message] as [string, string]] : []));

describe('readArchive: member paths', () => {
  const zip = makeZip([
    { name: 'config/.env', data: env },
    { name: 'README.md', data: 'hello', stored: true },
    { name: 'empty-dir/', data: '', stored: true },
  ]);
  const tar = makeTar([
    { name: 'etc/', type: '5' },
    { name: 'etc/.env', data: env },
    { name: 'etc/link', type: '2', linkTarget: '/etc/passwd' },
    { name: `deep/${'d'.repeat(120)}/.env`, data: env },
  ]);
  it.each<[string, Buffer, [string, string][]]>([
    ['zip (deflate and stored; directories skipped)', zip, [['dist/app.zip!config/.env', env], ['dist/app.zip!README.md', 'hello']]],
    ['jar is zip', zip, [['lib/x.jar!config/.env', env], ['lib/x.jar!README.md', 'hello']]],
    ['tar (directory and symlink skipped, GNU long name)', tar, [['a.tar!etc/.env', env], [`a.tar!deep/${'d'.repeat(120)}/.env`, env]]],
    ['tar.gz opens as one level', zlib.gzipSync(tar), [['a.tgz!etc/.env', env], [`a.tgz!deep/${'d'.repeat(120)}/.env`, env]]],
    ['gzip of a text file: the name without .gz', zlib.gzipSync(env), [['logs/app.log.gz!app.log', env]]],
  ])('%s', (_, bytes, expected) => {
    const archivePath = expected[0][0].split('!')[0];
    const entries = [...readArchive(archivePath, bytes)];
    expect(problems(entries)).toEqual([]);
    expect(members(entries)).toEqual(expected);
  });

  it('zip in a tar.gz: two levels, the inner member path has two separators', () => {
    const outer = zlib.gzipSync(makeTar([{ name: 'dist/app.zip', data: zip }]));
    const entries = [...readArchive('release.tgz', outer)];
    expect(members(entries)).toEqual([
      ['release.tgz!dist/app.zip!config/.env', env],
      ['release.tgz!dist/app.zip!README.md', 'hello'],
    ]);
    expect(entries.filter((e) => e.kind === 'member').map((e) => (e.kind === 'member' ? e.depth : 0))).toEqual([2, 2]);
  });

  it('a third level is reported, not opened', () => {
    const level3 = makeZip([{ name: '.env', data: env }]);
    const level2 = makeZip([{ name: 'inner.zip', data: level3, stored: true }]);
    const level1 = makeZip([{ name: 'middle.zip', data: level2, stored: true }, { name: 'ok.txt', data: 'ok' }]);
    const entries = [...readArchive('outer.zip', level1)];
    expect(members(entries)).toEqual([['outer.zip!ok.txt', 'ok']]);
    expect(problems(entries)).toEqual([['outer.zip!middle.zip!inner.zip', 'archive nested deeper than 2 levels: not opened']]);
  });

  it('ZIP64: sizes and offsets from the extra field, entries from the ZIP64 end record', () => {
    const zip64 = makeZip([{ name: 'config/.env', data: env }, { name: 'README.md', data: 'hello', stored: true }], { zip64: true });
    const entries = [...readArchive('big.zip', zip64)];
    expect(problems(entries)).toEqual([]);
    expect(members(entries)).toEqual([['big.zip!config/.env', env], ['big.zip!README.md', 'hello']]);
  });

  it('names are kept as they are (never paths to write)', () => {
    const entries = [...readArchive('x.zip', makeZip([{ name: '../../etc/passwd', data: 'root' }]))];
    expect(members(entries)).toEqual([['x.zip!../../etc/passwd', 'root']]);
  });
});

describe('readArchive: hostile archives are reported, the other members still read', () => {
  const ok = { name: 'ok.txt', data: 'still read' };

  it('a deflate bomb stops at the ratio cap', () => {
    const bomb = { name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) };
    const entries = [...readArchive('bomb.zip', makeZip([bomb, ok]), { maxRatio: 50 })];
    expect(problems(entries)).toEqual([['bomb.zip!zeros.bin', 'not read: over the compression ratio cap (50:1)']]);
    expect(members(entries)).toEqual([['bomb.zip!ok.txt', 'still read']]);
  });

  it('a gzip bomb stops at the total cap', () => {
    const entries = [...readArchive('b.gz', zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024)), { maxTotalBytes: 1024 * 1024 })];
    expect(problems(entries)).toEqual([['b.gz', 'not read: over the total uncompressed size cap (1048576 bytes)']]);
    expect(members(entries)).toEqual([]);
  });

  it('a member over the member cap', () => {
    const big = { name: 'big.txt', data: 'x'.repeat(5000), stored: true };
    const entries = [...readArchive('m.zip', makeZip([big, ok]), { maxMemberBytes: 4096 })];
    expect(problems(entries)).toEqual([['m.zip!big.txt', 'not read: over the member size cap (4096 bytes)']]);
    expect(members(entries)).toEqual([['m.zip!ok.txt', 'still read']]);
  });

  it('a lying declared size: read as inflated, reported', () => {
    const entries = [...readArchive('l.zip', makeZip([{ name: 'a.txt', data: env, declaredSize: 3 }]))];
    expect(members(entries)).toEqual([['l.zip!a.txt', env]]);
    expect(problems(entries)).toEqual([['l.zip!a.txt', `declared size 3 bytes, inflated to ${env.length}: read as inflated`]]);
  });

  it('an encrypted member is skipped and reported', () => {
    const entries = [...readArchive('e.zip', makeZip([{ name: 'secret.txt', data: 'x', flags: 1 }, ok]))];
    expect(problems(entries)).toEqual([['e.zip!secret.txt', 'encrypted member: not read']]);
    expect(members(entries)).toEqual([['e.zip!ok.txt', 'still read']]);
  });

  it('overlapping members (one stream reused) are reported', () => {
    const zip = makeZip([{ name: 'a.txt', data: env }, ok]);
    // Point the second central entry at the first member's local header.
    const cdStart = zip.readUInt32LE(zip.length - 6);
    const second = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1'), cdStart + 1);
    zip.writeUInt32LE(0, second + 42);
    const entries = [...readArchive('o.zip', zip)];
    expect(members(entries)).toEqual([['o.zip!a.txt', env]]);
    expect(problems(entries)).toEqual([['o.zip!ok.txt', 'member overlaps the previous one (a zip bomb form): not read']]);
  });

  it('a truncated zip: the members before the cut are read from their local headers', () => {
    const zip = makeZip([{ name: 'a.txt', data: env }, { name: 'b.txt', data: 'b'.repeat(500), stored: true }]);
    const entries = [...readArchive('t.zip', zip.subarray(0, zip.indexOf('bbbb') + 100))];
    expect(members(entries)).toEqual([['t.zip!a.txt', env], ['t.zip!b.txt', 'b'.repeat(100)]]);
    expect(problems(entries)).toEqual([
      ['t.zip', 'no end of central directory record (truncated or not a zip): read 2 members from their local headers'],
      ['t.zip!b.txt', 'truncated zip: member has 100 of its 500 bytes'],
    ]);
  });

  it('a truncated gzip yields what decoded before the end', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i} ${gen.hexDigest(8)}`).join('\n');
    const gz = zlib.gzipSync(text);
    const entries = [...readArchive('t.log.gz', gz.subarray(0, gz.length >> 1))];
    const [[where, message]] = problems(entries);
    expect(where).toBe('t.log.gz');
    expect(message).toMatch(/^truncated compressed data: read the first \d+ bytes$/);
    const [[path, partial]] = members(entries);
    expect(path).toBe('t.log.gz!t.log');
    expect(text.startsWith(partial)).toBe(true);
    expect(partial.length).toBeGreaterThan(1000);
  });

  it('a truncated tar yields the partial member and says so', () => {
    const tar = makeTar([{ name: 'a/.env', data: env }, { name: 'b.txt', data: 'y'.repeat(2000) }]);
    const entries = [...readArchive('t.tar', tar.subarray(0, 512 * 3 + 100))];
    expect(members(entries)).toEqual([['t.tar!a/.env', env], ['t.tar!b.txt', 'y'.repeat(100)]]);
    expect(problems(entries)).toEqual([['t.tar!b.txt', 'truncated tar: member has 100 of its 2000 bytes']]);
  });

  it('a corrupt tar header ends the walk with a problem', () => {
    const tar = makeTar([{ name: 'a/.env', data: env }, { name: 'b.txt', data: 'b' }]);
    tar[1024 + 10] ^= 0xff;
    const entries = [...readArchive('c.tar', tar)];
    expect(members(entries)).toEqual([['c.tar!a/.env', env]]);
    expect(problems(entries)).toEqual([['c.tar', 'corrupt tar header at byte 1024 (bad checksum): the rest not read']]);
  });

  it('the member count cap', () => {
    const zip = makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    const entries = [...readArchive('n.zip', zip, { maxMembers: 3 })];
    expect(members(entries).map(([p]) => p)).toEqual(['n.zip!f0', 'n.zip!f1', 'n.zip!f2']);
    expect(problems(entries)).toEqual([['n.zip', 'member count cap (3) reached: the rest not read']]);
  });

  it('bytes that are no archive', () => {
    expect(problems([...readArchive('x.bin', Buffer.from('plain text'))])).toEqual([['x.bin', 'not an archive (gzip, zip or tar): not opened']]);
  });
});
