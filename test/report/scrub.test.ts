import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { redactSecret } from '../../src/detect/redact';
import { escapeControl, scrubSecrets } from '../../src/report/scrub';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// Issue 9, items 6 and 7: the scrubber at the output edge, and control characters from data escaped.

const gen = new KeyGenerator('scrub');

describe('scrubSecrets', () => {
  const legacy = gen.legacy();
  const signed = gen.signed();
  const id = gen.accessKeyId();
  const temporary = gen.temporary();
  const secret = gen.accessKeySecret();

  it.each([
    ['a key in a sentence', `set DASHSCOPE_API_KEY=${legacy} for prod`, `set DASHSCOPE_API_KEY=${redactSecret(legacy)} for prod`],
    ['a signed key', `key ${signed}.`, `key ${redactSecret(signed)}.`],
    ['a key glued to a word (a file name)', `staged-${temporary}.env`, `staged-${redactSecret(temporary)}.env`],
    ['an AccessKey ID glued to a word', `name-${id}_prod`, `name-${redactSecret(id)}_prod`],
    ['a key right after an ANSI colour code', `\u001b[4m${legacy}\u001b[0m`, `\u001b[4m${redactSecret(legacy)}\u001b[0m`],
    ['an AccessKey secret after a workflow-command escape', `%0A${secret}`, `%0A${redactSecret(secret)}`],
    ['a regex quoting a key', `/^${legacy}($/: Unterminated group`, `/^${redactSecret(legacy)}($/: Unterminated group`],
  ])('masks %s', (_name, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('leaves commit ids, fingerprints and redacted forms alone, and is idempotent', () => {
    const text = `commit ${'a1b2c3d4e5'.repeat(4)} fingerprint ${'0f'.repeat(20)} ${redactSecret(legacy)}`;
    expect(scrubSecrets(text)).toBe(text);
    const once = scrubSecrets(`${legacy} ${signed}`);
    expect(scrubSecrets(once)).toBe(once);
  });

  it('keeps JSON valid: a key inside a string is masked inside the string', () => {
    const json = JSON.stringify({ message: `set KEY=${legacy}\nnext`, path: `a/${temporary}` }, null, 2);
    const scrubbed = scrubSecrets(json);
    expect(JSON.parse(scrubbed)).toEqual({ message: `set KEY=${redactSecret(legacy)}\nnext`, path: `a/${redactSecret(temporary)}` });
  });
});

describe('escapeControl', () => {
  it.each([
    ['a newline before a workflow command', 'a\n::error file=README.md,line=1::all clear', 'a\\n::error file=README.md,line=1::all clear'],
    ['an ESC sequence', '\u001b[2Jclear', '\\x1b[2Jclear'],
    ['CR, tab, DEL and a C1 control', '\r\t\u007f\u009b', '\\r\\t\\x7f\\x9b'],
    ['a bidirectional override', 'a\u202eb', 'a\\u202eb'],
    ['plain text', 'plain: ünïcode', 'plain: ünïcode'],
  ])('escapes %s', (_name, text, expected) => {
    expect(escapeControl(text)).toBe(expected);
  });
});

describe('terminal and log injection from file names, subjects and authors (item 7)', () => {
  let r: TempRepo;
  const injected = 'a\n::error file=README.md,line=1::all clear\n\u001b[2J.env';
  beforeAll(() => {
    r = new TempRepo();
    r.write('README.md', 'hello\n').commit('initial');
    writeFileSync(path.join(r.dir, injected), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
    r.git('add', '-A');
    r.git('commit', '-q', '-m', 'subject\u001b[2J::warning::x', '--author=Eve\u001b]0;title\u0007 <e@example.test>');
  });
  afterAll(() => r.cleanup());

  /** No line of `text` is a workflow command, and no ESC reaches the terminal. */
  const expectInert = (text: string): void => {
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([]);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  };

  it.each([
    ['scan', ['.']],
    ['history', ['history']],
    ['diff', ['diff', '--base', 'HEAD~1']],
  ])('%s text output escapes them', async (_name, argv) => {
    const out = await run(argv, { cwd: r.dir });
    expect(out.exitCode).toBe(1);
    expectInert(out.stdout + out.stderr);
    expect(out.stdout).toContain('a\\n::error file=README.md,line=1::all clear\\n\\x1b[2J.env');
  });

  it('history prints the subject and author escaped', async () => {
    const out = await run(['history'], { cwd: r.dir });
    expect(out.stdout).toContain('by Eve\\x1b]0;title <e@example.test>');
    expect(out.stdout).toContain('subject\\x1b[2J::warning::x');
  });

  it('github format: the name is an escaped property, never a line of its own', async () => {
    const out = await run(['.', '--format', 'github'], { cwd: r.dir });
    const lines = out.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('::')).every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=README.md'))).toBe(false);
  });

  it('an error message quoting a path escapes it (stderr)', async () => {
    const out = await run(['scan', 'missing\n::error::x'], { cwd: r.dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe('ms-leakscan: path not found: missing\\n::error::x — check the path, or run from the folder that holds it\n');
  });
});
