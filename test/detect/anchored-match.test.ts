import fc from 'fast-check';
import { builtinRules } from '../../rules';
import { detectFragment } from '../../src/detect/detect';
import type { Rule } from '../../src/types';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('anchored-match');
// The same rules run over whole windows, as before startsWithKeyword.
const overWindows: Rule[] = builtinRules.map((rule) => {
  const { startsWithKeyword: _ignored, ...rest } = rule;
  return rest as Rule;
});

const keys = [gen.legacy(), gen.signed(), gen.planHex(), gen.planSigned(), gen.temporary(), gen.accessKeyId(), gen.accessKeySecret()];
// Pieces that sit at a key's edges: glue characters, escapes, other keywords (a key right after a keyword, keywords
// inside keys), multi-byte characters (byte and character offsets part), context words, new lines.
const pieces = [
  ...keys,
  ...keys.map((k) => k.slice(0, 10)),
  'sk-', 'st-', 'sk-ws-', 'sk-sp-', 'LTAI', 'secret', 'SECRET', 'a', 'Z', '9', '-', '.', '_', '/', '+', '=', ' ', '"', "'",
  '%22', '%41', '\\u0022', '\\x27', '\\n', 'é', '中', '😀', '\n', '\r\n', 'DASHSCOPE_API_KEY=', 'deepseek ', 'access_key_secret = ',
  'https://dashscope.aliyuncs.com/compatible-mode/v1',
];

const show = (rules: readonly Rule[], text: string): string[] =>
  detectFragment({ path: 'a.txt', bytes: Buffer.from(text) }, rules).findings.map(
    (f) => `${f.ruleId} ${f.startLine}:${f.startColumn}-${f.endColumn} ${f.level} ${f.fingerprint}`,
  );

describe('rules tried at their keyword hits only (startsWithKeyword)', () => {
  it('are the key rules, each of whose examples starts its secret with a keyword', () => {
    const anchored = builtinRules.filter((rule) => rule.startsWithKeyword).map((rule) => rule.id);
    expect(anchored).toEqual(expect.arrayContaining(['alibaba-model-studio-api-key', 'alibaba-model-studio-temporary-api-key', 'alibaba-cloud-access-key-id']));
    expect(anchored).not.toContain('alibaba-cloud-access-key-secret');
  });

  it.each(builtinRules.flatMap((rule) => [...rule.examples.positive, ...rule.examples.negative].map((example) => [rule.id, example.text])))(
    '%s example %#: the same findings as over whole windows',
    (_id, text) => {
      const filled = (text as string).replace(/\{\{[^}]+\}\}/g, () => keys[0]);
      expect(show(builtinRules, filled)).toEqual(show(overWindows, filled));
    },
  );

  it('find the same keys as the whole-window scan in random arrangements of keys, glue, escapes and keywords', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const got = show(builtinRules, text);
        expect(got).toEqual(show(overWindows, text));
        found += got.length;
      }),
      { numRuns: 1500, seed: 20261203 },
    );
    // The comparison is over texts that hold findings, not only empty ones.
    expect(found).toBeGreaterThan(200);
  });
});
