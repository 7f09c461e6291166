import { binaryStrings, contentKind } from '../../src/archive';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('binary-strings');

describe('binaryStrings', () => {
  it('finds ASCII and UTF-16LE runs of 20+ with their byte offsets', () => {
    const key = gen.legacy();
    const ascii = Buffer.from(`key=${key}`);
    const wide = Buffer.from(`token ${key}`, 'utf16le');
    const short = Buffer.from('too short');
    const bytes = Buffer.concat([Buffer.from([0, 1, 2]), ascii, Buffer.from([0xff, 0]), short, Buffer.from([7, 7]), wide, Buffer.from([0xfe])]);
    const runs = [...binaryStrings(bytes)].map((r) => [r.encoding, r.offset, r.bytes.toString('latin1')]);
    const wideAt = 3 + ascii.length + 2 + short.length + 2;
    expect(runs).toEqual([
      ['ascii', 3, `key=${key}`],
      ['utf16le', wideAt, `token ${key}`],
    ]);
    expect(wideAt % 2).toBe(1); // an odd offset: both alignments are searched
  });

  it('a run of exactly 19 is dropped, 20 kept', () => {
    expect([...binaryStrings(Buffer.concat([Buffer.from([0]), Buffer.from('a'.repeat(19)), Buffer.from([0])]))]).toEqual([]);
    expect([...binaryStrings(Buffer.from('a'.repeat(20)))].map((r) => r.offset)).toEqual([0]);
  });
});

describe('contentKind', () => {
  const tail = gen.bytes(64);
  it.each<[string, Buffer, string]>([
    ['png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), tail]), 'media:png'],
    ['jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), tail]), 'media:jpeg'],
    ['webp', Buffer.concat([Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1'), tail]), 'media:webp'],
    ['mp4', Buffer.concat([Buffer.from('\0\0\0\x18ftypisom', 'latin1'), tail]), 'media:mp4'],
    ['woff2', Buffer.concat([Buffer.from('wOF2'), tail]), 'media:woff2'],
    ['7z', Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), tail]), 'unsupported-archive:7z'],
    ['pdf is scanned for strings', Buffer.from('%PDF-1.7\n'), 'other'],
    ['gzip', Buffer.from([0x1f, 0x8b, 8, 0]), 'archive:gzip'],
    ['zip', Buffer.from('PK\x03\x04', 'latin1'), 'archive:zip'],
    ['an ELF binary', Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), 'other'],
  ])('%s', (_, bytes, expected) => {
    const kind = contentKind(bytes);
    expect('format' in kind ? `${kind.kind}:${kind.format}` : kind.kind).toBe(expected);
  });
});
