import Ajv from 'ajv';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_SCHEMA, loadConfig } from '../../src/config/load-config';
import { validateConfigData } from '../../src/config/validate';

const schemaFile = path.join(__dirname, '../../schema/ms-leakscan.schema.json');

const rule = {
  id: 'acme-token',
  title: 'Acme token',
  pattern: 'acme_[a-z0-9]{16}',
  keywords: ['acme_'],
  examples: { positive: ['t = acme_q8f3k2m9x7c4v1b6'] },
};

const { keywords: _keywords, ...withoutKeywords } = rule;

/** [name, config, the first problem the generated validator reports, in our words (undefined = valid)]. Ajv itself must agree. */
const table: [string, unknown, string | undefined][] = [
  ['empty', {}, undefined],
  ['everything', {
    $schema: './node_modules/ms-leakscan/schema/ms-leakscan.schema.json',
    rules: { 'alibaba-cloud-access-key-id': 'off', 'alibaba-model-studio-api-key': 'note' },
    customRules: [{ ...rule, description: 'd', flags: 'i', window: 1, entropyFloor: 2.5, level: 'error', remediation: 'r',
      examples: { positive: [{ text: 'acme_q8f3k2m9x7c4v1b6', level: 'error', span: { line: 1, column: 1, endColumn: 22 }, why: 'w' }], negative: ['acme_short'] } }],
    allowPaths: ['fixtures/**', 'docs\\examples\\**'],
    allowSecrets: { stopwords: ['sandbox'], regexes: ['^sk-0{8}'] },
    failLevel: 'error',
    maxFileSize: 1048576,
    baseline: '.ms-leakscan-baseline',
  }, undefined],
  ['not an object', [], 'must be an object, not an array'],
  ['unknown option', { allowPath: [] }, 'allowPath: is not a known option — check the spelling; known: rules, customRules, allowPaths, allowSecrets, failLevel, maxFileSize, baseline'],
  ['bad rule setting', { rules: { x: 'warn' } }, 'rules.x: must be one of "off", "error", "warning", "note", not "warn"'],
  ['failLevel not a level', { failLevel: 'high' }, 'failLevel: must be one of "error", "warning", "note", not "high"'],
  ['maxFileSize zero', { maxFileSize: 0 }, 'maxFileSize: must be at least 1, not 0'],
  ['maxFileSize fractional', { maxFileSize: 1.5 }, 'maxFileSize: must be an integer, not a number'],
  ['allowPaths a string', { allowPaths: 'fixtures/**' }, 'allowPaths: must be an array, not a string'],
  ['empty glob', { allowPaths: [''] }, 'allowPaths[0]: must not be empty'],
  ['stopword not a string', { allowSecrets: { stopwords: [1] } }, 'allowSecrets.stopwords[0]: must be a string, not an integer'],
  ['custom rule without keywords', { customRules: [withoutKeywords] }, 'customRules[0].keywords: is missing'],
  ['custom rule with no keyword', { customRules: [{ ...rule, keywords: [] }] }, 'customRules[0].keywords: must have at least 1 item'],
  ['custom rule id not kebab-case', { customRules: [{ ...rule, id: 'Acme_Token' }] }, 'customRules[0].id: must match ^[a-z0-9]+(-[a-z0-9]+)*$, not "Acme_Token"'],
  ['custom rule flag g', { customRules: [{ ...rule, flags: 'g' }] }, 'customRules[0].flags: must match ^[imsu]*$, not "g"'],
  ['custom rule without positive example', { customRules: [{ ...rule, examples: { positive: [] } }] }, 'customRules[0].examples.positive: must have at least 1 item'],
  ['example of the wrong kind', { customRules: [{ ...rule, examples: { positive: [3] } }] }, 'customRules[0].examples.positive[0]: must be a string or an object, not an integer'],
  ['example object without text', { customRules: [{ ...rule, examples: { positive: [{ level: 'error' }] } }] }, 'customRules[0].examples.positive[0].text: is missing'],
  ['example span without its end', { customRules: [{ ...rule, examples: { positive: [{ text: 't = acme_q8f3k2m9x7c4v1b6', span: { line: 1, column: 5 } }] } }] }, 'customRules[0].examples.positive[0].span.endColumn: is missing'],
  ['example span at column 0', { customRules: [{ ...rule, examples: { positive: [{ text: 't = acme_q8f3k2m9x7c4v1b6', span: { line: 1, column: 0, endColumn: 9 } }] } }] }, 'customRules[0].examples.positive[0].span.column: must be at least 1, not 0'],
  ['span on a negative example (only positives are found)', { customRules: [{ ...rule, examples: { positive: rule.examples.positive, negative: [{ text: 'acme_short', span: { line: 1, column: 1, endColumn: 2 } }] } }] }, 'customRules[0].examples.negative[0].span: is not a known option — check the spelling; known: text, level, why'],
  ['non-ASCII keyword', { customRules: [{ ...rule, keywords: ['ключ'] }] }, 'customRules[0].keywords[0]: must match ^[\\x20-\\x7e]+$, not "ключ"'],
];

describe('config JSON Schema', () => {
  const raw = readFileSync(schemaFile, 'utf8');

  it('is valid JSON, a valid draft-07 schema, and the one the loader uses', () => {
    const parsed = JSON.parse(raw) as object;
    expect(parsed).toEqual(CONFIG_SCHEMA);
    expect(new Ajv().validateSchema(parsed)).toBe(true);
  });

  const ajvValidate = new Ajv({ allErrors: true }).compile(JSON.parse(raw));

  it.each(table)('%s', (_name, config, problem) => {
    const problems = validateConfigData(config);
    expect(problems[0] ? `${problems[0].path ? `${problems[0].path}: ` : ''}${problems[0].message}` : undefined).toBe(problem);
    expect(ajvValidate(config)).toBe(problem === undefined);
  });
});

describe("the README's configuration section", () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const docs = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Development'));
  const blocks = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);

  const yamlBlocks = [...docs.matchAll(/```yaml\n(# \.ms-leakscan\.yml\n[\s\S]*?)```/g)].map((m) => m[1]);

  it.each(yamlBlocks.map((b, i) => [i, b]))('YAML example %i loads', (_i, block) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-docs-')), '.ms-leakscan.yml');
    writeFileSync(file, block);
    expect(loadConfig({ file }, path.dirname(file)).data).toEqual({ allowPaths: ['fixtures/**'], failLevel: 'error', baseline: '.ms-leakscan-baseline' });
  });

  it('has a config example', () => {
    expect(yamlBlocks.length).toBe(1);
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((b, i) => [i, b]))('example %i loads: valid against the schema, custom rules pass their examples', (_i, block) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-docs-')), '.ms-leakscan.json');
    writeFileSync(file, block);
    const config = loadConfig({ file }, path.dirname(file));
    expect(config.rules.length).toBeGreaterThan(0);
  });
});
