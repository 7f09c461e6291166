import fc from 'fast-check';
import { chainName, decodeFragment, DECODERS } from '../../src/decode';
import { base64Runs } from '../../src/decode/base64';
import { keywordOffsets, RULE_KEYWORDS } from '../../src/decode/keywords';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('decode-fuzz');

/** Random bytes, biased toward the characters that start escapes and base64 runs. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1')),
      fc.constantFrom('%', '%2', '%22', '%73', '\\u00', '\\u0073', '\\u2581', '\\x7', '\\x6b', '\\', '&#', '&#x', '&#107;', '&quot;', '=', '==', 'sk-', 'LTAI', '\n', 'QUJD'),
      fc.stringMatching(/^[A-Za-z0-9+/_-]{20,120}$/),
      // base64 of text: what the base64 decoder decodes (random runs mostly fail its looks-like-text check).
      fc.stringMatching(/^[ -~]{30,90}$/).map((t) => Buffer.from(t).toString(t.length % 2 ? 'base64' : 'base64url')),
      // Wrapped base64 (`base64`'s 76 columns, PEM's 64; CRLF, YAML indentation), of text or of random bytes.
      fc
        .tuple(fc.oneof(fc.stringMatching(/^[ -~]{60,400}$/).map((t) => Buffer.from(t)), fc.uint8Array({ minLength: 60, maxLength: 300 }).map((a) => Buffer.from(a))), fc.constantFrom(64, 76, 40, 44), fc.constantFrom('\n', '\r\n', '\n  '))
        .map(([data, width, lineBreak]) => data.toString('base64').replace(new RegExp(`.{${width}}(?!$)`, 'g'), (line) => line + lineBreak)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('decodeFragment on random input', () => {
  it('never throws, stays under the cap, and every origin lies inside its region', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 4096 }), (bytes, cap) => {
        const outcome = decodeFragment(bytes, { maxDecodedBytes: cap });
        expect(outcome.decodedBytes).toBeLessThanOrEqual(cap);
        for (const region of outcome.regions) {
          expect(region.chain.length).toBeLessThanOrEqual(2);
          expect(region.origin.length).toBe(region.bytes.length + 1);
          for (const at of region.origin) {
            expect(at).toBeGreaterThanOrEqual(region.start);
            expect(at).toBeLessThanOrEqual(region.end);
          }
          expect(region.end).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('each decoder\'s firstCandidate', () => {
  const spans = (iterable: Iterable<{ start: number; end: number; bytes: Buffer }>) => [...iterable].map((s) => [s.start, s.end, s.bytes.toString('latin1')]);
  /** Where each decoder's windows start by its documented rule, found by a regex instead of the decoder's needles. */
  const FIRST_ESCAPE: Record<string, RegExp | undefined> = {
    percent: /%[0-9A-Fa-f]{2}/,
    'unicode-escape': /\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})/,
    // Decoded from the first character reference (`&#`), not a named entity; `&#0;` is no escape.
    'html-entity': /&#(?:0*[1-9][0-9]{0,6}|[xX]0*[1-9A-Fa-f][0-9A-Fa-f]{0,5});/,
  };
  for (const decoder of DECODERS) {
    it(`${decoder.encoding}: says -1 only when decode yields nothing, and decoding from it yields what decoding from the first escape (or run) does`, () => {
      fc.assert(
        fc.property(hostileText, (bytes) => {
          const pattern = FIRST_ESCAPE[decoder.encoding];
          const reference = pattern ? bytes.toString('latin1').search(pattern) : 0;
          const expected = reference < 0 ? [] : spans(decoder.decode(bytes, reference));
          const first = decoder.firstCandidate(bytes);
          if (first < 0) expect(expected).toEqual([]);
          else expect(spans(decoder.decode(bytes, first))).toEqual(expected);
          // An escape decoder's search is exact: it finds a candidate whenever a window would be decoded.
          if (pattern) expect(first >= 0).toBe(expected.length > 0);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('base64Runs finds exactly the runs a plain regex finds', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(hostileText, (bytes) => {
        const text = bytes.toString('latin1');
        const expected = [...text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}/g)].map((m) => [m.index, m.index + m[0].length]);
        expect([...base64Runs(bytes)]).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('keywordOffsets', () => {
  it('short spans (a JavaScript loop) and long ones (native search) find the same offsets', () => {
    const needles = RULE_KEYWORDS.map((k) => Buffer.from(k, 'latin1'));
    fc.assert(
      fc.property(hostileText, (bytes) => {
        const text = bytes.toString('latin1');
        const expected = [...new Set(RULE_KEYWORDS.flatMap((k) => [...text.matchAll(new RegExp(k, 'g'))].map((m) => m.index)))].sort((a, b) => a - b);
        expect(keywordOffsets(bytes, needles)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

type Encode = { name: string; encode: (s: string) => string };
const ENCODINGS: Encode[] = [
  { name: 'base64', encode: (s) => Buffer.from(s).toString('base64') },
  { name: 'base64', encode: (s) => Buffer.from(s).toString('base64url') },
  { name: 'percent', encode: (s) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') },
  { name: 'unicode-escape', encode: (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('') },
  { name: 'html-entity', encode: (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join('') },
];
const KEYS = [() => gen.legacy(), () => gen.signed(), () => gen.temporary(), () => gen.accessKeyId(), () => gen.planHex()];

describe('random keys, randomly encoded, come back at their origin', () => {
  it('one or two layers, among plain text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: KEYS.length - 1 }),
        fc.array(fc.integer({ min: 0, max: ENCODINGS.length - 1 }), { minLength: 1, maxLength: 2 }),
        fc.stringMatching(/^[a-z ]{0,40}$/),
        fc.constantFrom('', 'user:', '"', 'Bearer '),
        (keyIndex, layers, before, glue) => {
          const key = KEYS[keyIndex]();
          // Encode innermost first; the chain reads outermost first.
          const chain = layers.map((i) => ENCODINGS[i]);
          let encoded = `${glue}${key}`;
          for (const e of [...chain].reverse()) {
            // base64 runs under 40 characters (30 bytes: an AccessKey ID alone) are not looked for (MIN_BASE64_RUN).
            fc.pre(e.name !== 'base64' || Buffer.byteLength(encoded) >= 30);
            encoded = e.encode(encoded);
          }
          const text = `${before}\nvalue: ${encoded}\n`;
          const encodedAt = text.indexOf(encoded);
          const expectedChain = chain.map((e) => e.name).join('>');
          const hits = decodeFragment(Buffer.from(text)).regions.filter((r) => chainName(r) === expectedChain && r.bytes.includes(key));
          expect(hits.length).toBeGreaterThanOrEqual(1);
          const [region] = hits;
          const origin = region.origin[region.bytes.indexOf(key)];
          expect(origin).toBeGreaterThanOrEqual(encodedAt);
          expect(origin).toBeLessThan(encodedAt + encoded.length);
          // For one escape layer, the key's first byte maps to exactly its own escape.
          if (chain.length === 1 && chain[0].name !== 'base64') {
            expect(origin).toBe(encodedAt + chain[0].encode(glue).length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
