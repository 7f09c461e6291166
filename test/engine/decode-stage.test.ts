import fc from 'fast-check';
import { builtinRules } from '../../rules';
import { scanBinaryContent } from '../../src/engine/binary-content';
import { detectWithDecoding } from '../../src/engine/decode-stage';
import { ContentReader } from '../../src/engine/content-reader';
import { emptyOutcome } from '../../src/outcome';
import type { ScanOutcome } from '../../src/types';
import { makeZip } from '../archive/build-archives';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('decode-stage');
const keys = [gen.legacy(), gen.signed(), gen.accessKeyId(), gen.planHex()];
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const percent = (s: string): string => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Pieces the decode stage cares about: keys plain and encoded, names, escapes cut short, multibyte text, newlines. */
const PIECES = [
  ...keys,
  ...keys.map((k) => b64(`DASHSCOPE_API_KEY=${k}`)),
  ...keys.map((k) => percent(k)),
  ...keys.map((k) => `%22${k}`),
  b64(percent(`key=${keys[0]}`)),
  'DASHSCOPE_API_KEY=', 'dashscope.aliyuncs.com', '%', '%2', '\\u00', '&#', '==', '\n', '\n\n', '  ', '通义', 'x', 'QUJD',
];

describe('the decode stage (property-based)', () => {
  it('never throws; every finding lies inside the text, once per span and rule', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.integer({ min: 1, max: 3 }), (pieces, firstLine) => {
        const text = pieces.join('');
        const lines = text.split('\n');
        const { findings } = detectWithDecoding({ path: 'p', bytes: Buffer.from(text), firstLine }, builtinRules, { showSecret: true }, true);
        const seen = new Set<string>();
        for (const f of findings) {
          const line = lines[f.startLine - firstLine];
          expect(line).toBeDefined();
          expect(f.startColumn).toBeGreaterThanOrEqual(1);
          expect(f.startColumn).toBeLessThanOrEqual(line.length + 1);
          const key = `${f.ruleId}:${f.startLine}:${f.startColumn}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
          // A plain finding's span holds its secret; a decoded one's starts inside the encoded text.
          if (!f.decoded) expect(line.slice(f.startColumn - 1, f.endColumn - 1)).toBe(f.secret);
        }
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('finds every planted encoded key at the place of its encoding', () => {
    fc.assert(
      fc.property(fc.constantFrom(...keys.slice(0, 2)), fc.stringMatching(/^[a-z ]{0,30}$/), (key, before) => {
        const encoded = b64(`DASHSCOPE_API_KEY=${key}`);
        const text = `${before}\nvalue: ${encoded}\n`;
        const { findings } = detectWithDecoding({ path: 'p', bytes: Buffer.from(text) }, builtinRules, { showSecret: true }, true);
        const found = findings.filter((f) => f.secret === key);
        expect(found).toHaveLength(1);
        expect(found[0].decoded).toBe('base64');
        expect(found[0].startLine).toBe(2);
        // The key starts at decoded byte 18, whose bits start at base64 character floor(18 * 8 / 6).
        expect(found[0].startColumn).toBe('value: '.length + 1 + Math.floor((18 * 8) / 6));
      }),
      { numRuns: 100, seed: 13 },
    );
  });
});

describe('binary content (property-based)', () => {
  it('random and damaged archives and binaries never throw, and every problem names its path', () => {
    const zip = makeZip([{ name: 'a/.env', data: `DASHSCOPE_API_KEY=${keys[0]}\n` }, { name: 'b.bin', data: Buffer.from([0, 1, 2, 3]) }]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(zip.length), fc.boolean(), (noise, cut, damage) => {
        const bytes = damage ? Buffer.concat([zip.subarray(0, cut), Buffer.from(noise)]) : Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(noise)]);
        const out = emptyOutcome();
        scanBinaryContent('x.bin', bytes, builtinRules, {}, out);
        // Problems and findings keep the unit's key as their path; a member is named apart (joined by resultOf).
        for (const p of out.unitProblems) expect(p.path).toBe('x.bin');
        for (const f of out.findings) expect(f.path).toBe('x.bin');
        for (const f of out.findings) expect(f.member === undefined || f.member.length > 0).toBe(true);
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});

describe('content that streams in (git blobs, standard input)', () => {
  const zip = makeZip([{ name: 'a/.env', data: `DASHSCOPE_API_KEY=${keys[0]}\n` }, { name: 'b/s.yaml', data: `DASHSCOPE_API_KEY: ${b64(keys[1])}\n` }]);
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.alloc(9000), Buffer.from(`DASHSCOPE_API_KEY=${keys[0]}`), Buffer.alloc(8)]);
  const text = Buffer.from(`x: 1\nDASHSCOPE_API_KEY: ${b64(keys[0])}\n`.repeat(40));
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.from(`DASHSCOPE_API_KEY=${keys[0]}`)]);

  function scanChunks(content: Buffer, cuts: number[], size?: number): ScanOutcome {
    const out = emptyOutcome();
    const reader = new ContentReader('k', out, builtinRules, { showSecret: true }, size);
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => c % (content.length + 1)))].sort((a, b) => a - b)) {
      reader.write(content.subarray(at, cut));
      at = cut;
    }
    reader.write(content.subarray(at));
    reader.end();
    return out;
  }

  it('finds the same keys at the same places however the content is cut into chunks, size known or not', () => {
    fc.assert(
      fc.property(fc.constantFrom(zip, elf, text, png), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (content, cuts, sized) => {
        const whole = scanChunks(content, [], content.length);
        const chunked = scanChunks(content, cuts, sized ? content.length : undefined);
        expect(chunked.findings).toEqual(whole.findings);
        expect(chunked.unitProblems).toEqual(whole.unitProblems);
        expect(whole.findings.length).toBe(content === png ? 0 : content === text ? 40 : content === zip ? 2 : 1);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe('binary content over the cap of content read whole (64 MiB)', () => {
  const elfHead = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.alloc(9000)]);
  const zipHead = makeZip([{ name: 'a/.env', data: Buffer.alloc(9000) }]);

  it.each([
    ['an archive: an error (the scan is incomplete)', zipHead, { severity: 'error', path: 'k', message: 'zip archive not opened: over the 67108864 bytes cap of binary content read whole' }],
    ['another binary: a warning', elfHead, { severity: 'warning', path: 'k', message: 'binary file: its printable strings not scanned: over the 67108864 bytes cap of binary content read whole' }],
  ])('%s, named once, from a known size', (_name, head, problem) => {
    const out = emptyOutcome();
    const reader = new ContentReader('k', out, builtinRules, {}, 65 * 1024 * 1024);
    reader.write(head);
    reader.end();
    expect(out.unitProblems).toEqual([problem]);
  });

  it('a stream of unknown size lets go of what it kept once past the cap, and names it once', () => {
    const out = emptyOutcome();
    const reader = new ContentReader('k', out, builtinRules, {});
    reader.write(elfHead);
    const mib = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 65; i++) reader.write(mib);
    reader.end();
    expect(out.unitProblems).toEqual([{ severity: 'warning', path: 'k', message: expect.stringMatching(/^binary file: its printable strings not scanned: over the 67108864 bytes cap/) }]);
    expect(out.findings).toEqual([]);
  });
});
