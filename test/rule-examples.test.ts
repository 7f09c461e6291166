import { builtinRules } from '../rules';
import { detectFragment } from '../src/detect/detect';
import { expandTemplate, KeyGenerator } from './support/keys';

const gen = new KeyGenerator('rule-examples');

const positives = builtinRules.flatMap((rule) => rule.examples.positive.map((example) => [rule.id, example.text, rule, example] as const));
const negatives = builtinRules.flatMap((rule) => rule.examples.negative.map((example) => [rule.id, example.text, rule, example] as const));

describe('rule examples', () => {
  it('every rule has positive and negative examples', () => {
    for (const rule of builtinRules) {
      expect(rule.examples.positive.length).toBeGreaterThan(0);
      expect(rule.examples.negative.length).toBeGreaterThan(0);
    }
  });

  it.each(positives)('%s finds %j', (_id, _text, rule, example) => {
    const { text, values } = expandTemplate(example.text, gen);
    const { findings } = detectFragment({ path: 'example', bytes: Buffer.from(text) }, [rule], { showSecret: true });
    expect(findings.map((f) => f.level)).toContain(example.level);
    // The reported span holds the secret exactly, and the secret ends with a planted value.
    const lines = text.split('\n');
    for (const finding of findings) {
      expect(lines[finding.startLine - 1].slice(finding.startColumn - 1, finding.endColumn - 1)).toBe(finding.secret);
      expect(values.some((v) => finding.secret.endsWith(v.value))).toBe(true);
    }
  });

  it.each(negatives)('%s ignores %j', (_id, _text, rule, example) => {
    const { text } = expandTemplate(example.text, gen);
    const { findings } = detectFragment({ path: 'example', bytes: Buffer.from(text) }, [rule]);
    expect(findings).toEqual([]);
  });
});
