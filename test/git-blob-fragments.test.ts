import { Fragmenter } from '../src/fragments/fragmenter';
import { CHUNK_BYTES } from '../src/fragments/read-file';
import type { Fragment } from '../src/types';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

/** Feeds `content` to a fragmenter in pieces of `piece` bytes, as cat-file's output arrives. */
function fragmentsOf(content: Buffer, piece: number): { fragments: Fragment[]; kind: string | undefined } {
  const fragments: Fragment[] = [];
  const fragmenter = new Fragmenter('blob', (f) => fragments.push({ ...f, bytes: Buffer.from(f.bytes) }), { size: content.length });
  for (let at = 0; at < content.length; at += piece) fragmenter.write(content.subarray(at, at + piece));
  fragmenter.end();
  return { fragments, kind: fragmenter.kind };
}

const bigText = Buffer.from(Array.from({ length: 140_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(60)}\n`).join(''));

describe('Fragmenter (blobs streamed from git)', () => {
  it.each([
    ['one piece', Buffer.from('a\nb\nc'), 1 << 20],
    ['many tiny pieces', Buffer.from('a\nbb\nccc\n'), 2],
    ['a blob larger than one scan piece, in 64 kB pieces', bigText, 65536],
  ])('%s: fragments end at line ends, cover the blob, and carry their first line', (_name, content, piece) => {
    const { fragments, kind } = fragmentsOf(content, piece);
    expect(kind).toBe('text');
    expect(Buffer.concat(fragments.map((f) => f.bytes)).equals(content)).toBe(true);
    let line = 1;
    for (const [i, f] of fragments.entries()) {
      expect(f.firstLine).toBe(line);
      if (i < fragments.length - 1) expect(f.bytes[f.bytes.length - 1]).toBe(0x0a);
      line += f.bytes.toString('latin1').split('\n').length - 1;
    }
    expect(fragments.length).toBe(content.length > CHUNK_BYTES ? Math.ceil(content.length / CHUNK_BYTES) : 1);
  });

  it.each([
    ['binary (a NUL early on) is skipped', Buffer.concat([Buffer.from('ab\0cd\n'), Buffer.from('sk-')]), 'binary', ''],
    ['UTF-8 byte-order mark is dropped', Buffer.from('\ufeffkey=1\n'), 'text', 'key=1\n'],
    ['UTF-16LE is decoded', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key=ü\n', 'utf16le')]), 'utf16le', 'key=ü\n'],
    ['UTF-16BE is decoded', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('key=ü\n', 'utf16le').swap16()]), 'utf16be', 'key=ü\n'],
    ['empty blob', Buffer.alloc(0), 'text', ''],
  ])('%s', (_name, content, kind, text) => {
    const { fragments, kind: seen } = fragmentsOf(content, 3);
    expect(seen).toBe(kind);
    expect(Buffer.concat(fragments.map((f) => f.bytes)).toString('utf8')).toBe(text);
  });

  it('decodes UTF-16 as it streams: pieces cut at line ends as for UTF-8, in bounded memory', () => {
    const text = Array.from({ length: 4000 }, (_, i) => `line ${i + 1} ü\n`).join('');
    const content = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const fragments: Fragment[] = [];
    const fragmenter = new Fragmenter('blob', (f) => fragments.push({ ...f, bytes: Buffer.from(f.bytes) }), { size: content.length, sizes: { chunk: 1024, maxPiece: 4096 } });
    for (let at = 0; at < content.length; at += 333) fragmenter.write(content.subarray(at, at + 333));
    fragmenter.end();
    // The first piece holds what was gathered to tell text from binary (8000 bytes); each later one about a chunk.
    expect(fragments.length).toBeGreaterThan(40);
    for (const f of fragments.slice(1)) expect(f.bytes.length).toBeLessThan(1024 + 333);
    expect(Buffer.concat(fragments.map((f) => f.bytes)).toString('utf8')).toBe(text);
    expect(fragments.map((f) => f.firstLine)).toEqual(fragments.map((f, i) => 1 + Buffer.concat(fragments.slice(0, i).map((g) => g.bytes)).toString('utf8').split('\n').length - 1));
  });

  it('finds a staged key past the first scan piece of a large file at its exact line', async () => {
    const r = new TempRepo();
    try {
      const secret = new KeyGenerator('blob-fragments').legacy();
      const lines = bigText.toString().split('\n');
      lines.splice(139_000, 0, `DASHSCOPE_API_KEY=${secret}`);
      r.write('big.env', lines.join('\n')).git('add', 'big.env');
      const outcome = await runJson(['staged'], r.dir);
      expect(outcome.findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn}`)).toEqual(['big.env:139001:19']);
    } finally {
      r.cleanup();
    }
  });
});
