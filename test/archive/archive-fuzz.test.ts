import zlib from 'node:zlib';
import fc from 'fast-check';
import { binaryStrings, contentKind, readArchive, type ArchiveLimits } from '../../src/archive';
import { makeTar, makeZip } from './build-archives';

const LIMITS: ArchiveLimits = { maxDepth: 2, maxMemberBytes: 64 * 1024, maxTotalBytes: 256 * 1024, maxRatio: 20, maxMembers: 50 };

const member = fc.record({
  name: fc.stringMatching(/^[a-z.!/]{1,30}$/),
  data: fc.oneof(fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)), fc.integer({ min: 0, max: 300_000 }).map((n) => Buffer.alloc(n))),
  stored: fc.boolean(),
});

/** A valid archive of a random format, holding random members (some of them archives themselves). */
const archive = fc
  .tuple(fc.constantFrom('zip', 'tar', 'tgz', 'gz'), fc.array(member, { maxLength: 6 }), fc.boolean(), fc.boolean())
  .map(([format, members, nest, zip64]) => {
    const files = nest && members.length > 0 ? [...members, { name: 'inner.zip', data: makeZip(members, { zip64 }), stored: true }] : members;
    if (format === 'zip') return makeZip(files, { zip64 });
    const tar = makeTar(files.map((f) => ({ name: f.name, data: f.data })));
    if (format === 'tar') return tar;
    return format === 'tgz' ? zlib.gzipSync(tar) : zlib.gzipSync(files[0]?.data ?? Buffer.alloc(0));
  });

/** Damage: flip bytes, overwrite 4-byte fields with extremes, truncate. */
const damaged = fc
  .tuple(
    archive,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 0xff, 0xffffffff, 0x7fffffff, 1)), { maxLength: 8 }),
    fc.option(fc.nat()),
  )
  .map(([bytes, edits, cut]) => {
    const out = Buffer.from(bytes);
    for (const [at, value] of edits) {
      if (out.length < 4) break;
      const i = at % (out.length - 3);
      if (value > 0xff) out.writeUInt32LE(value >>> 0, i);
      else out[i] = value;
    }
    return cut === null ? out : out.subarray(0, cut % (out.length + 1));
  });

function checkRead(bytes: Buffer): void {
  let produced = 0;
  let members = 0;
  for (const entry of readArchive('a', bytes, LIMITS)) {
    if (entry.kind === 'problem') {
      expect(typeof entry.message).toBe('string');
      continue;
    }
    members++;
    produced += entry.bytes.length;
    expect(entry.bytes.length).toBeLessThanOrEqual(LIMITS.maxMemberBytes);
    expect(entry.depth).toBeLessThanOrEqual(LIMITS.maxDepth);
    expect(entry.path.startsWith('a!')).toBe(true);
  }
  // Members of the top level of a tar are views of the input; everything decompressed counts against the total.
  expect(produced).toBeLessThanOrEqual(LIMITS.maxTotalBytes + bytes.length);
  expect(members).toBeLessThanOrEqual(LIMITS.maxMembers);
}

describe('archive readers on hostile bytes never throw and never pass a cap', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)), checkRead), { numRuns: 500 });
  });

  it('random bytes behind each magic', () => {
    const magics = ['\x1f\x8b\x08\x00', 'PK\x03\x04', 'PK\x05\x06'].map((m) => Buffer.from(m, 'latin1'));
    fc.assert(
      fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 4096 }), (magic, rest) => checkRead(Buffer.concat([magic, Buffer.from(rest)]))),
      { numRuns: 500 },
    );
  });

  it('damaged and truncated real archives, nested ones included', () => {
    fc.assert(fc.property(damaged, checkRead), { numRuns: 300 });
  });
});

/** Random bytes with printable runs (ASCII and UTF-16LE, any alignment) among them. */
const binaryish = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      fc.stringMatching(/^[ -~]{15,40}$/).map((s) => Buffer.from(s, 'latin1')),
      fc.stringMatching(/^[ -~]{15,40}$/).map((s) => Buffer.from(s, 'utf16le')),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

describe('binary strings and content kinds on random bytes', () => {
  it('runs are printable, at least 20 long, inside the input, in order per encoding', () => {
    fc.assert(
      fc.property(binaryish, (bytes) => {
        contentKind(bytes);
        const last = { ascii: -1, utf16le: -1 };
        for (const run of binaryStrings(bytes)) {
          expect(run.bytes.length).toBeGreaterThanOrEqual(20);
          const width = run.encoding === 'ascii' ? 1 : 2;
          expect(run.offset + run.bytes.length * width).toBeLessThanOrEqual(bytes.length);
          const source = Array.from(run.bytes, (_, i) => bytes[run.offset + i * width]);
          expect(Buffer.from(source).equals(run.bytes)).toBe(true);
          if (run.encoding === 'ascii') expect(run.offset).toBeGreaterThan(last.ascii);
          last[run.encoding] = run.offset;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds exactly the runs a plain regex finds', () => {
    fc.assert(
      fc.property(binaryish, (bytes) => {
        const latin1 = bytes.toString('latin1');
        const expected: string[] = [];
        for (const m of latin1.matchAll(/[\t\x20-\x7e]{20,}/g)) expected.push(`ascii ${m.index} ${m[0]}`);
        for (const alignment of [0, 1]) {
          const wide = /(?:[\t\x20-\x7e]\x00){20,}/y;
          for (let at = alignment; at < latin1.length; at += 2) {
            wide.lastIndex = at;
            const m = wide.exec(latin1);
            if (m) {
              expected.push(`utf16le ${at} ${m[0].replace(/\x00/g, '')}`);
              at += m[0].length;
            }
          }
        }
        const found = [...binaryStrings(bytes)].map((r) => `${r.encoding} ${r.offset} ${r.bytes.toString('latin1')}`);
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
