import { builtinRules } from '../../rules';
import { detectFragment, KeywordHits } from '../../src/detect/detect';
import { KeyGenerator } from '../support/keys';
import { scanBlobInPieces, scanFileInPieces } from '../support/scan-pieces';

const gen = new KeyGenerator('buffer-ends');
const KEYWORDS = new Set(builtinRules.flatMap((rule) => rule.keywords).concat(['sk-ws-', 'sk-sp-']));
/** Every prefix of every keyword, and of the allow comments and a host: what a buffer may end in. */
const TAILS = [
  ...new Set(
    ['sk-ws-', 'sk-sp-', 'st-', 'LTAI', 'secret', 'SECRET', 'ms-leakscan:allow-next-line', 'dashscope.aliyuncs.com', 'DASHSCOPE_API_KEY=sk-']
      .flatMap((word) => Array.from({ length: word.length }, (_, n) => word.slice(0, n + 1))),
  ),
];

describe('keywords at the end of a buffer', () => {
  it.each(TAILS)('a buffer ending in %j: no keyword is compared past the end', (tail) => {
    const hits = new KeywordHits(Buffer.from(`x ${tail}`), KEYWORDS);
    for (const keyword of KEYWORDS) expect(() => hits.of(keyword)).not.toThrow();
    expect(hits.of('sk-ws-')).toEqual(tail === 'sk-ws-' ? [2] : []);
  });

  it.each(TAILS)('a file ending in %j still reports the key above', (tail) => {
    const key = gen.legacy();
    const { findings } = detectFragment({ path: 'a.env', bytes: Buffer.from(`DASHSCOPE_API_KEY=${key}\n# see ${tail}`) }, builtinRules);
    expect(findings.map((f) => [f.startLine, f.startColumn])).toEqual([[1, 19]]);
  });

  it('the issue\'s repro: a file ending in "disk-"', () => {
    const { findings } = detectFragment({ path: 'a.env', bytes: Buffer.from('DASHSCOPE_API_KEY=K\n# see disk-\n') }, builtinRules);
    expect(findings).toEqual([]);
  });

  it.each(TAILS)('a piece cut mid-line right after %j scans on (file; blob)', (tail) => {
    // One 64-byte line piece ends exactly with the tail; the key comes on the next line.
    const key = gen.legacy();
    const head = `${'a '.repeat(32)}`.slice(0, 64 - tail.length) + tail;
    const content = Buffer.from(`${head}rest of the line\nDASHSCOPE_API_KEY=${key}\n`);
    const sizes = { chunk: 16, maxPiece: 64 };
    const file = scanFileInPieces(content, sizes);
    expect(file.cutLines).toBe(1);
    expect(file.findings.map((f) => [f.startLine, f.startColumn, f.secret])).toEqual([[2, 19, key]]);
    // A blob shorter than git's 8000-byte binary sniff is gathered whole first: no cut, same finding.
    const blob = scanBlobInPieces(content, sizes, [16]);
    const allowed = tail === 'ms-leakscan:allow-next-line';
    expect(blob.findings.map((f) => [f.startLine, f.startColumn, f.secret])).toEqual(allowed ? [] : [[2, 19, key]]);
  });

  it.each(['ms-leakscan:allow', 'ms-leakscan:allow-next', 'ms-leakscan:allow-next-line'])('an allow comment %j ending the buffer', (comment) => {
    const key = gen.legacy();
    const { findings, suppressed } = detectFragment({ path: 'a.env', bytes: Buffer.from(`DASHSCOPE_API_KEY=${key} # ${comment}`) }, builtinRules);
    expect([findings.length, suppressed]).toEqual(comment === 'ms-leakscan:allow-next-line' ? [1, 0] : [0, 1]);
  });
});
