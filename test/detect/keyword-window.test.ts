import { builtinRules } from '../../rules';
import { detectFragment } from '../../src/detect/detect';
import type { Rule } from '../../src/types';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('keyword-window');
const withWindows = builtinRules;
// The same rules with every keyword searching the rule's whole window, as before keywordWindow.
const withoutWindows: Rule[] = builtinRules.map((rule) => {
  const { keywordWindow: _ignored, ...rest } = rule;
  return rest as Rule;
});

/** A secret's name, an AccessKey ID and candidate secrets on lines 0-8, in every arrangement of a small grid. */
function layouts(): string[] {
  const names = ['access_key_secret = ', 'client_secret: ', 'SECRET ', ''];
  const out: string[] = [];
  for (const nameLine of [-1, 0, 2, 4]) {
    for (const idLine of [-1, 0, 1, 4, 8]) {
      for (const secretLine of [0, 2, 3, 4, 7]) {
        for (const name of names) {
          const lines = Array.from({ length: 9 }, (_, i) => `filler line ${i} value_${i}`);
          if (idLine >= 0) lines[idLine] += ` id=${gen.accessKeyId()}`;
          if (nameLine >= 0) lines[nameLine] += ` ${name}placeholder`;
          lines[secretLine] += ` ${secretLine === nameLine ? '' : name}${gen.accessKeySecret()}`;
          out.push(lines.join('\n'));
        }
      }
    }
  }
  return out;
}

describe('keywordWindow (the AccessKey secret looks around "secret" on its line only)', () => {
  it.each(layouts().map((text, i) => [i, text]))('layout %i: the same findings as searching 3 lines around every keyword', (_i, text) => {
    const fragment = { path: 'a.txt', bytes: Buffer.from(text as string) };
    const got = detectFragment(fragment, withWindows).findings.map((f) => `${f.ruleId} ${f.startLine}:${f.startColumn} ${f.level}`);
    const want = detectFragment(fragment, withoutWindows).findings.map((f) => `${f.ruleId} ${f.startLine}:${f.startColumn} ${f.level}`);
    expect(got).toEqual(want);
  });

  it('the grid holds both reported and dropped secrets (so the comparison can fail)', () => {
    let reported = 0;
    for (const text of layouts()) {
      reported += detectFragment({ path: 'a.txt', bytes: Buffer.from(text) }, withWindows).findings.filter((f) => f.ruleId === 'alibaba-cloud-access-key-secret').length;
    }
    expect(reported).toBeGreaterThan(50);
    expect(reported).toBeLessThan(layouts().length);
  });
});

describe("'rest-of-line': around \"secret\" only the value after the name is looked at", () => {
  const secretFindings = (text: string): string[] =>
    detectFragment({ path: 'a.txt', bytes: Buffer.from(text) }, builtinRules)
      .findings.filter((f) => f.ruleId === 'alibaba-cloud-access-key-secret')
      .map((f) => `${f.startLine}:${f.startColumn}`);
  const secret = gen.accessKeySecret();

  it.each([
    ['the value after its name', `access_key_secret = "${secret}"`, ['1:22']],
    ['a value before its name, no AccessKey ID near: not looked for', `"${secret}" # access_key_secret`, []],
    ['two values, only the one after the name', `x = "${secret}", access_key_secret = "${secret}"`, ['1:60']],
    ['a value before its name, an AccessKey ID on the line above', `id = "${gen.accessKeyId()}"\n"${secret}" # access_key_secret`, ['2:2']],
  ])('%s', (_what, text, want) => {
    expect(secretFindings(text)).toEqual(want);
  });
});
