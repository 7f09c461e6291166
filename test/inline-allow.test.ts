import { detectFragment } from '../src/detect/detect';
import { builtinRules } from '../rules';
import { TempWorld } from './support/config-world';
import { KeyGenerator } from './support/keys';

const gen = new KeyGenerator('inline-allow');

/** `@KEY@` is replaced by a fresh key; `found` lists the 1-based lines whose key must still be reported. */
const cases: [string, string, number[]][] = [
  ['# on the same line, marker ending the file', 'DASHSCOPE_API_KEY=@KEY@ # ms-leakscan:allow', []],
  ['// with a reason after the marker', 'const key = "@KEY@"; // ms-leakscan:allow test fixture for the parser, rotated', []],
  ['<!-- --> in markdown', '`DASHSCOPE_API_KEY=@KEY@` <!-- ms-leakscan:allow: documented example -->', []],
  ['/* */ before the key', '/* ms-leakscan:allow */ DASHSCOPE_API_KEY=@KEY@', []],
  ['# allow-next-line', '# ms-leakscan:allow-next-line sandbox key\nDASHSCOPE_API_KEY=@KEY@', []],
  ['// allow-next-line', '// ms-leakscan:allow-next-line\nconst DASHSCOPE_API_KEY = "@KEY@";', []],
  ['<!-- allow-next-line -->', '<!-- ms-leakscan:allow-next-line -->\nDASHSCOPE_API_KEY=@KEY@', []],
  ['allow-next-line covers only the next line', '# ms-leakscan:allow-next-line\nDASHSCOPE_API_KEY=@KEY@\nDASHSCOPE_API_KEY=@KEY@', [3]],
  ['allow-next-line on the key\'s own line does not count', 'DASHSCOPE_API_KEY=@KEY@ # ms-leakscan:allow-next-line', [1]],
  ['allow on the line above does not count', '# ms-leakscan:allow\nDASHSCOPE_API_KEY=@KEY@', [2]],
  ['allow-next-line two lines above does not count', '# ms-leakscan:allow-next-line\n\nDASHSCOPE_API_KEY=@KEY@', [3]],
  ['only the marked one of two keys', 'DASHSCOPE_API_KEY=@KEY@ # ms-leakscan:allow\nDASHSCOPE_API_KEY=@KEY@', [2]],
  ['CRLF line ends', '# ms-leakscan:allow-next-line\r\nDASHSCOPE_API_KEY=@KEY@\r\nDASHSCOPE_API_KEY=@KEY@\r\n', [3]],
];

function plant(template: string): string {
  return template.replace(/@KEY@/g, () => gen.legacy());
}

describe('inline allow comments', () => {
  it.each(cases)('%s', (_name, template, found) => {
    const text = plant(template);
    const keys = template.split('@KEY@').length - 1;
    const honoured = detectFragment({ path: 'f', bytes: Buffer.from(text) }, builtinRules);
    expect(honoured.findings.map((f) => f.startLine)).toEqual(found);
    expect(honoured.suppressed).toBe(keys - found.length);
    // --no-inline-allow: every key is reported, nothing suppressed.
    const ignored = detectFragment({ path: 'f', bytes: Buffer.from(text) }, builtinRules, { inlineAllow: false });
    expect(ignored.findings).toHaveLength(keys);
    expect(ignored.suppressed).toBe(0);
  });

  describe('through the CLI', () => {
    const world = new TempWorld();
    beforeAll(() => {
      world.write({
        'a.py': plant('# ms-leakscan:allow-next-line fixture\nDASHSCOPE_API_KEY = "@KEY@"\nDASHSCOPE_API_KEY = "@KEY@"  # ms-leakscan:allow\n'),
        'b.md': plant('<!-- ms-leakscan:allow-next-line -->\nDASHSCOPE_API_KEY=@KEY@\n'),
      });
    });
    afterAll(() => world.cleanup());

    it('counts suppressed findings in the text summary and JSON stats, and exits 0', async () => {
      const text = await world.run(['.', '--no-color']);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toMatch(/^0 findings \(0 errors, 0 warnings, 0 notes\), in 2 files \(\d+ B\), 3 suppressed, \d+ ms\n$/);
      const { report, exitCode } = await world.json(['.']);
      expect(exitCode).toBe(0);
      expect(report.findings).toEqual([]);
      expect(report.stats.suppressed).toBe(3);
    });

    it('--no-inline-allow reports every key and exits 1', async () => {
      const { report, exitCode } = await world.json(['.', '--no-inline-allow']);
      expect(exitCode).toBe(1);
      expect(report.findings.map((f: { path: string; startLine: number }) => `${f.path}:${f.startLine}`)).toEqual(['a.py:2', 'a.py:3', 'b.md:2']);
      expect(report.stats.suppressed).toBe(0);
    });
  });
});
