import { TempWorld } from '../support/config-world';

const rule = {
  id: 'acme-token',
  title: 'Acme token',
  pattern: 'acme_[a-z0-9]{16}',
  keywords: ['acme_'],
  examples: { positive: ['token: acme_q8f3k2m9x7c4v1b6'], negative: ['acme_short'] },
};

/** [name, files of the world, argv, the exact standard error]. Each must exit 2 before scanning anything. */
const cases: [string, Record<string, string>, string[], string][] = [
  [
    'JSON syntax error, with its line and column',
    { '.ms-leakscan.json': '{\n  "failLevel": "error",\n}\n' },
    ['.'],
    'config .ms-leakscan.json: not valid JSON: ',
  ],
  ['unknown option', { '.ms-leakscan.json': '{ "allowPath": ["x"] }' }, ['.'], 'config .ms-leakscan.json: allowPath: is not a known option — check the spelling; known: rules, customRules, allowPaths, allowSecrets, failLevel, maxFileSize, baseline'],
  ['several problems: the first, and how many more', { '.ms-leakscan.json': '{ "failLevel": 1, "maxFileSize": "big", "allowPaths": [""] }' }, ['.'], 'config .ms-leakscan.json: failLevel: must be one of "error", "warning", "note", not 1 (and 2 more problems)'],
  ['rule that does not exist', { '.ms-leakscan.json': '{ "rules": { "alibaba-model-studio-key": "off" } }' }, ['.'], 'config .ms-leakscan.json: rules["alibaba-model-studio-key"]: is not a rule — use one of: alibaba-model-studio-api-key, alibaba-model-studio-signed-api-key, alibaba-model-studio-plan-api-key, alibaba-model-studio-temporary-api-key, alibaba-cloud-access-key-id, alibaba-cloud-access-key-secret'],
  ['invalid custom pattern', { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, pattern: 'acme_(' }] }) }, ['.'], 'config .ms-leakscan.json: customRules[0].pattern: is not a valid JavaScript regular expression (Invalid regular expression: /(?<secret>acme_()/dg: Unterminated group) — fix it'],
  ['custom pattern matching nothing', { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, pattern: 'x*' }] }) }, ['.'], 'config .ms-leakscan.json: customRules[0].pattern: matches an empty string — make the secret at least one character long'],
  [
    'custom rule whose positive example is not found',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, examples: { positive: ['token: acme_q8f3k2m9x7c4v1b6', 'token: acme_Q8F3K2M9X7C4V1B6'] } }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.positive[1]: rule acme-token does not find this example: it does not match the pattern — fix the rule or the example',
  ],
  [
    'custom rule whose positive example lacks a keyword',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, examples: { positive: ['ACME_q8f3k2m9x7c4v1b6'] } }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.positive[0]: rule acme-token does not find this example: it contains none of the keywords ("acme_") — fix the rule or the example',
  ],
  [
    'custom rule whose positive example is below the entropy floor',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, entropyFloor: 4.5 }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.positive[0]: rule acme-token does not find this example: it matches, but its entropy 4.20 is below entropyFloor 4.5 — fix the rule or the example',
  ],
  [
    'custom rule whose positive example is found at another level',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, examples: { positive: [{ text: 'acme_q8f3k2m9x7c4v1b6', level: 'error' }] } }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.positive[0]: rule acme-token finds this example at level warning, not error — fix the level',
  ],
  [
    'custom rule whose positive example is found at another span (its secret group drifted)',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, examples: { positive: [{ text: 'token: acme_q8f3k2m9x7c4v1b6', span: { line: 1, column: 13, endColumn: 29 } }] } }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.positive[0]: rule acme-token finds this example at 1:8-29, not at 1:13-29 — fix the span or the pattern\'s secret group',
  ],
  [
    'custom rule that finds its negative example',
    { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, examples: { positive: rule.examples.positive, negative: ['old acme_z9y8x7w6v5u4t3s2'] } }] }) },
    ['.'],
    'config .ms-leakscan.json: customRules[0].examples.negative[0]: rule acme-token reports this example, which must not be found — tighten the pattern or move the example to positive',
  ],
  ['custom rule reusing a built-in id', { '.ms-leakscan.json': JSON.stringify({ customRules: [{ ...rule, id: 'alibaba-cloud-access-key-id' }] }) }, ['.'], 'config .ms-leakscan.json: customRules[0].id: "alibaba-cloud-access-key-id" is already a rule — pick another id (change a built-in rule through "rules")'],
  ['bad secret regex', { '.ms-leakscan.json': '{ "allowSecrets": { "regexes": ["ok", "[unclosed"] } }' }, ['.'], 'config .ms-leakscan.json: allowSecrets.regexes[1]: is not a valid regular expression (Invalid regular expression: /[unclosed/: Unterminated character class) — fix it'],
  ['absolute Windows path in allowPaths', { '.ms-leakscan.json': '{ "allowPaths": ["fixtures/**", "C:\\\\repo\\\\fixtures\\\\**"] }' }, ['.'], 'config .ms-leakscan.json: allowPaths[1]: "C:\\\\repo\\\\fixtures\\\\**" is an absolute path — write it relative to the config file\'s folder'],
  ['package.json key', { 'package.json': '{ "name": "x", "ms-leakscan": { "failLevel": "high" } }' }, ['.'], 'config package.json: ["ms-leakscan"].failLevel: must be one of "error", "warning", "note", not "high"'],
  ['config in a parent folder, scanned from a subfolder', { '.ms-leakscan.json': '{ "maxFileSize": -1 }', 'sub/a.txt': 'x' }, ['sub'], 'config .ms-leakscan.json: maxFileSize: must be at least 1, not -1'],
  ['--config that does not exist', {}, ['.', '--config', 'conf/missing.json'], 'config conf/missing.json: cannot read it (ENOENT) — check the path given to --config'],
  ['--report-unused without a baseline', {}, ['.', '--report-unused'], '--report-unused needs a baseline — add --baseline FILE or "baseline" to the config'],
  ['baseline that does not exist', {}, ['.', '--baseline', 'base.txt'], 'baseline base.txt: cannot read it (ENOENT) — create it with ms-leakscan baseline --output base.txt, or fix the path'],
  ['baseline named by the config, malformed', { '.ms-leakscan.json': '{ "baseline": "known.txt" }', 'known.txt': '# header\n{"results": {}}\n' }, ['.'], 'baseline known.txt: line 2 is not "<rule-id> <40 hex fingerprint>" — regenerate the file with ms-leakscan baseline --output known.txt'],
];

describe('invalid configuration and baseline', () => {
  it.each(cases)('%s', async (_name, files, argv, message) => {
    const world = new TempWorld().initGit().write(files);
    try {
      const outcome = await world.run(argv);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stdout).toBe('');
      if (message.endsWith('not valid JSON: ')) {
        // Node's wording of JSON errors varies by version; ours adds where and how to fix.
        expect(outcome.stderr).toMatch(/^ms-leakscan: config \.ms-leakscan\.json: not valid JSON: .*line 3,? column \d+\)? — fix the syntax \(JSON allows no comments or trailing commas\)\n$/);
      } else {
        expect(outcome.stderr).toBe(`ms-leakscan: ${message}\n`);
      }
    } finally {
      world.cleanup();
    }
  });
});
