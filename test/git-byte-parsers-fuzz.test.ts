import fc from 'fast-check';
import { HeaderLines, LineRanges, unquotePath } from '../src/git/diff';
import { nulSplitter } from '../src/git/exec';
import { pathText } from '../src/paths';

/** Property tests of the parsers of git's byte output: any bytes, cut into chunks anywhere, give what one piece gives. */

/** `bytes` cut at the given offsets (sorted, deduplicated, within range). */
function chunksOf(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of at) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

const anyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

const HEADERS = ['diff --git ', '+++ ', '@@ '];
const isHeader = (line: Buffer): boolean => HEADERS.some((h) => line.subarray(0, h.length).equals(Buffer.from(h)));

/** Patch-like lines: headers, short and long added lines, bytes that are not UTF-8, CRs. */
const patchLine = fc.oneof(
  fc.constantFrom('diff --git a/x b/x', '+++ b/a.env', '+++ "b/q\\"\\377"', '@@ -1 +1,2 @@', '@@ -0,0 +1 @@ ctx', '+', '', '+++', 'diff', '@@'),
  fc.tuple(fc.constantFrom('+', '-', ' ', '+++ b/', '@@ '), fc.uint8Array({ maxLength: 40 })).map(([p, b]) => Buffer.concat([Buffer.from(p), Buffer.from(b).map((x) => (x === 0x0a ? 0x20 : x))]).toString('latin1')),
  fc.nat({ max: 5000 }).map((n) => `+${'y'.repeat(n)}`),
);

describe('parsers of git output, fuzzed (chunk boundaries anywhere, any bytes)', () => {
  it('nulSplitter: the records of a stream, however it is cut, are those of the whole', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (bytes, at) => {
        const whole: string[] = [];
        nulSplitter((r) => whole.push(r))(bytes);
        const pieces: string[] = [];
        const feed = nulSplitter((r) => pieces.push(r));
        for (const chunk of chunksOf(bytes, at)) feed(chunk);
        const reference: string[] = [];
        let from = 0;
        for (let i = bytes.indexOf(0); i >= 0; i = bytes.indexOf(0, from)) {
          reference.push(pathText(bytes.subarray(from, i)));
          from = i + 1;
        }
        expect(whole).toEqual(reference);
        expect(pieces).toEqual(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('HeaderLines: the header lines of a patch, and only they, however it is cut, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(patchLine, { maxLength: 30 }), fc.boolean(), cuts, (lines, finalNewline, at) => {
        const bytes = Buffer.from(lines.join('\n') + (finalNewline && lines.length ? '\n' : ''), 'latin1');
        const seen: Buffer[] = [];
        const reader = new HeaderLines((line) => seen.push(Buffer.from(line)));
        for (const chunk of chunksOf(bytes, at)) reader.write(chunk);
        reader.end();
        const reference = bytes.length === 0 ? [] : bytes.toString('latin1').replace(/\n$/, '').split('\n').map((l) => Buffer.from(l, 'latin1'));
        expect(seen.map((b) => b.toString('latin1'))).toEqual(reference.filter(isHeader).map((b) => b.toString('latin1')));
      }),
      { numRuns: 500 },
    );
  });

  it('HeaderLines: an added line of 64 MB in 64 KiB chunks is never held, and the header after it is still read', () => {
    const seen: string[] = [];
    const reader = new HeaderLines((line) => seen.push(line.toString('latin1')));
    reader.write(Buffer.from('+++ b/a.env\n+'));
    const chunk = Buffer.alloc(64 * 1024, 0x79);
    let held = 0;
    for (let i = 0; i < 1024; i++) {
      reader.write(chunk);
      held = Math.max(held, reader.heldBytes);
    }
    reader.write(Buffer.from('\n@@ -1 +1 @@\n'));
    reader.end();
    expect(held).toBe(0);
    expect(seen).toEqual(['+++ b/a.env', '@@ -1 +1 @@']);
  });

  it('LineRanges: has and size agree with a set of the same lines, in any order, overlapping or not', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 30 })), { maxLength: 20 }), (hunks) => {
        const ranges = new LineRanges();
        const set = new Set<number>();
        for (const [start, count] of hunks) {
          ranges.add(start, count);
          for (let n = start; n < start + count; n++) set.add(n);
        }
        for (let line = 0; line <= 232; line++) expect(ranges.has(line)).toBe(set.has(line));
        expect(ranges.size).toBe(set.size);
      }),
      { numRuns: 500 },
    );
  });

  it('unquotePath: any bytes give a name or nothing, never an exception; an unquoted name is its bytes as pathText shows them', () => {
    fc.assert(
      fc.property(anyBytes, (raw) => {
        const name = unquotePath(raw);
        expect(name === undefined || typeof name === 'string').toBe(true);
        if (raw.length > 0 && raw[0] !== 0x22 && raw[raw.length - 1] !== 0x09 && !raw.equals(Buffer.from('/dev/null'))) expect(name).toBe(pathText(raw));
      }),
      { numRuns: 1000 },
    );
  });
});
