import { builtinRules } from '../../rules';
import { modelStudioTemporaryApiKey } from '../../rules/model-studio-temporary-api-key';
import { detectFragment, findKeywordHits, mergedWindows } from '../../src/detect/detect';
import { LineCounter } from '../../src/detect/lines';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('detect');

describe('keyword windows', () => {
  it.each([
    ['sk-', 'sk-a xk- sk-sk- k- sk', [0, 9, 12]],
    ['ecret', 'ecret secret Secret cret xcret secretecret', [0, 7, 14, 32, 37]],
    ['secret', 'secret secre ecret asecret secretsecret', [0, 20, 27, 33]],
    ['ECRET', 'SECRET ECRE ECRET', [1, 12]],
    ['st-', 'st-st- t- st', [0, 3]],
  ])('finds every occurrence of keyword %j, overlapping and at either end, searching a rarer part of it', (keyword, text, expected) => {
    expect(findKeywordHits(Buffer.from(text), { ...modelStudioTemporaryApiKey, keywords: [keyword] })).toEqual(expected);
  });

  it('merges the windows of a dense run of hits on one long line into one', () => {
    const bytes = Buffer.from('.a{list-style:none;}'.repeat(50_000));
    const hits = findKeywordHits(bytes, modelStudioTemporaryApiKey);
    expect(hits).toHaveLength(50_000);
    expect(mergedWindows(bytes, hits, 0)).toEqual([[0, bytes.length]]);
  });

  it('keeps far-apart hits on a long line in separate windows of bounded size', () => {
    const bytes = Buffer.from(`${'a'.repeat(100_000)}st-${'b'.repeat(100_000)}st-${'c'.repeat(100_000)}`);
    expect(mergedWindows(bytes, findKeywordHits(bytes, modelStudioTemporaryApiKey), 0)).toEqual([
      [100_000 - 2048, 100_000 + 2048],
      [200_003 - 2048, 200_003 + 2048],
    ]);
  });

  it('on short lines, a window is the hit\'s lines and `window` lines around', () => {
    const bytes = Buffer.from('l1\nl2\nsecret=1\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nsecret=2\n');
    const hits = findKeywordHits(bytes, { ...modelStudioTemporaryApiKey, keywords: ['secret'] });
    expect(mergedWindows(bytes, hits, 1)).toEqual([
      [3, 17], // from the start of l2 to the newline ending l4
      [33, 46], // from l10 to the end: the empty line after the last newline is the line below
    ]);
    expect(bytes.length).toBe(46);
    expect(bytes.indexOf('l10')).toBe(33);
    expect(bytes.indexOf('\nl5')).toBe(17);
  });

  it('finds keys inside a dense minified line, with exact columns, after non-ASCII text', () => {
    const [a, b] = [gen.temporary(), gen.temporary()];
    const unit = '.标题{list-style:none;}';
    const text = `/* dashscope */${unit.repeat(20_000)}"${a}"${unit.repeat(20_000)}"${b}"`;
    const { findings } = detectFragment({ path: 'x.css', bytes: Buffer.from(text) }, builtinRules, { showSecret: true });
    expect(findings.map((f) => [f.startColumn, f.secret])).toEqual([
      [16 + 20_000 * unit.length + 1, a],
      [16 + 40_000 * unit.length + 1 + a.length + 2, b],
    ]);
  });
});

describe('inline allow comments', () => {
  const key = gen.legacy();
  it.each([
    ['same line, at the very end of the file', `DASHSCOPE_API_KEY=${key} # ms-leakscan:allow`, true, 0, 1],
    ['same line, more lines after', `DASHSCOPE_API_KEY=${key} # ms-leakscan:allow\nother = 1\nmore = 2\n`, true, 0, 1],
    ['line above', `# ms-leakscan:allow-next-line\nDASHSCOPE_API_KEY=${key}`, true, 0, 1],
    ['allow-next-line on the same line does not allow it', `DASHSCOPE_API_KEY=${key} # ms-leakscan:allow-next-line`, true, 1, 0],
    ['two lines above is too far', `# ms-leakscan:allow-next-line\n\nDASHSCOPE_API_KEY=${key}`, true, 1, 0],
    ['allow on the next line does not reach back', `DASHSCOPE_API_KEY=${key}\n# ms-leakscan:allow`, true, 1, 0],
    ['ignored with inlineAllow false', `DASHSCOPE_API_KEY=${key} # ms-leakscan:allow`, false, 1, 0],
  ])('%s', (_what, text, inlineAllow, found, suppressed) => {
    const outcome = detectFragment({ path: 'x', bytes: Buffer.from(text) }, builtinRules, { inlineAllow });
    expect([outcome.findings.length, outcome.suppressed]).toEqual([found, suppressed]);
  });
});

describe('LineCounter', () => {
  it.each([
    ['ascii', 'ab\ncd\nef', [0, 1, 3, 4, 8], [[1, 1], [1, 2], [2, 1], [2, 2], [3, 3]]],
    ['CJK and astral characters count UTF-16 units', '中文x🔑y\n中z', [0, 3, 6, 7, 11, 12, 13, 16], [[1, 1], [1, 2], [1, 3], [1, 4], [1, 6], [1, 7], [2, 1], [2, 2]]],
    ['CRLF', 'a\r\nb', [0, 3], [[1, 1], [2, 1]]],
  ])('%s', (_what, text, offsets, expected) => {
    const counter = new LineCounter(Buffer.from(text));
    expect((offsets as number[]).map((o) => Object.values(counter.positionAt(o)))).toEqual(expected);
    // Going back restarts from the top and gives the same answers.
    expect(Object.values(counter.positionAt((offsets as number[])[0]))).toEqual((expected as number[][])[0]);
  });
});

describe('priming (a thread\'s PRIME_AFTER-th fragment runs a primer through detection first)', () => {
  it('changes no outcome, and hands no secret of the primer to the options', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../src/detect/detect') as typeof import('../../src/detect/detect');
      const text = Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}\nhost-name: test-case\nclient_secret = "x"\n`);
      const kept: string[] = [];
      const outcomes = [];
      for (let i = 0; i < fresh.PRIME_AFTER + 3; i++) {
        outcomes.push(fresh.detectFragment({ path: 'a.env', bytes: text }, builtinRules, { keepSecret: (fingerprint) => kept.push(fingerprint) }));
      }
      expect(outcomes[0].findings).toHaveLength(1);
      for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
      expect(new Set(kept)).toEqual(new Set([outcomes[0].findings[0].fingerprint]));
      expect(kept).toHaveLength(fresh.PRIME_AFTER + 3);
    });
  });
});
