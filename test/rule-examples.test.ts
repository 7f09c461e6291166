import { builtinRules } from '../rules';
import { checkRuleExamples } from '../src/config/custom-rules';
import { detectFragment } from '../src/detect/detect';
import type { Rule, RuleExample } from '../src/types';
import { spanInFilledText } from './support/example-spans';
import { expandTemplate, KeyGenerator } from './support/keys';

const gen = new KeyGenerator('rule-examples');

const positives = builtinRules.flatMap((rule) => rule.examples.positive.map((example) => [rule.id, example.text, rule, example] as const));
const negatives = builtinRules.flatMap((rule) => rule.examples.negative.map((example) => [rule.id, example.text, rule, example] as const));

/** The rule with this one example, its `{{tokens}}` filled in: what checkRuleExamples, the checker of custom rules too, runs. */
function withExample(rule: Rule, example: RuleExample, kind: 'positive' | 'negative'): { rule: Rule; text: string; values: { value: string }[] } {
  const { text, values } = expandTemplate(example.text, gen);
  const filled = { ...example, text, ...(example.span ? { span: spanInFilledText(example.text, values, example.span) } : {}) };
  return { rule: { ...rule, examples: { positive: kind === 'positive' ? [filled] : [], negative: kind === 'negative' ? [filled] : [] } }, text, values };
}

describe('rule examples', () => {
  it('every rule has positive and negative examples, and every positive states its level and span', () => {
    for (const rule of builtinRules) {
      expect(rule.examples.positive.length).toBeGreaterThan(0);
      expect(rule.examples.negative.length).toBeGreaterThan(0);
      for (const example of rule.examples.positive) expect([rule.id, example.text, example.level, example.span]).toEqual([rule.id, example.text, expect.any(String), expect.any(Object)]);
    }
  });

  it.each(positives)('%s finds %j at its level and span', (_id, _text, rule, example) => {
    const { rule: one, text, values } = withExample(rule, example, 'positive');
    expect(() => checkRuleExamples(one, `rules/${rule.id}`)).not.toThrow();
    // The span holds the secret exactly, and the secret ends with a planted value (not text around it).
    const { findings } = detectFragment({ path: 'example', bytes: Buffer.from(text) }, [rule], { showSecret: true });
    const lines = text.split('\n');
    for (const finding of findings) {
      expect(lines[finding.startLine - 1].slice(finding.startColumn - 1, finding.endColumn - 1)).toBe(finding.secret);
      expect(values.some((v) => finding.secret.endsWith(v.value))).toBe(true);
    }
  });

  it.each(negatives)('%s ignores %j', (_id, _text, rule, example) => {
    expect(() => checkRuleExamples(withExample(rule, example, 'negative').rule, `rules/${rule.id}`)).not.toThrow();
  });

  it('the checker fails an example found elsewhere than its span, or at another level', () => {
    const rule = builtinRules[0];
    const example = rule.examples.positive[0];
    const span = example.span as NonNullable<RuleExample['span']>;
    const shifted = withExample(rule, { ...example, span: { ...span, column: span.column + 1 } }, 'positive').rule;
    expect(() => checkRuleExamples(shifted, 'rules/x')).toThrow(/finds this example at 1:\d+-\d+, not at 1:\d+-\d+ — fix the span/);
    const otherLevel = withExample(rule, { ...example, level: example.level === 'note' ? 'error' : 'note' }, 'positive').rule;
    expect(() => checkRuleExamples(otherLevel, 'rules/x')).toThrow(/— fix the level/);
  });
});
