import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { makeZip } from '../archive/build-archives';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// Issue 9, item 6: for every command and format, with keys in file contents, commit subjects, author names, file
// names and invalid config values, no output stream and no written file holds a whole key. The --show-secret
// control proves the sweep can see a key when one is printed.

const gen = new KeyGenerator('leak-sweep');
const keys = {
  content: gen.signed(),
  contentLegacy: gen.legacy(),
  subject: gen.planHex(),
  author: gen.legacy(),
  fileName: gen.accessKeyId(),
  stagedContent: gen.legacy(),
  stagedName: gen.temporary(),
  config: gen.legacy(),
  // Issue 13: keys found decoded, in an archive member and in a binary's strings are redacted like any other.
  base64: gen.legacy(),
  zipMember: gen.signed(),
  binary: gen.legacy(),
};
/** Each key, and the base64 form the decoder finds it in (printing that would leak the key as surely). */
const allKeys = [...Object.values(keys), Buffer.from(keys.base64).toString('base64')];

let r: TempRepo;
let base: string;
beforeAll(() => {
  r = new TempRepo();
  base = r.write('README.md', 'nothing here\n').commit('initial');
  r.write('app.env', `DASHSCOPE_API_KEY=${keys.content}\n`);
  r.write(`name-${keys.fileName}.env`, `DASHSCOPE_API_KEY=${keys.contentLegacy}\n`);
  r.write('k8s/secret.yaml', `data:\n  DASHSCOPE_API_KEY: ${Buffer.from(keys.base64).toString('base64')}\n`);
  r.write('dist/app.zip', makeZip([{ name: 'config/.env', data: `DASHSCOPE_API_KEY=${keys.zipMember}\n` }]));
  r.write('bin/tool', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.from(`DASHSCOPE_API_KEY=${keys.binary}`), Buffer.alloc(8)]));
  r.git('add', '-A');
  r.git('-c', `user.name=deploy ${keys.author}`, 'commit', '-q', '-m', `set DASHSCOPE_API_KEY=${keys.subject} for prod`, `--author=deploy ${keys.author} <d@example.test>`);
  r.write(`staged-${keys.stagedName}.env`, `DASHSCOPE_API_KEY=${keys.stagedContent}\n`);
  r.git('add', '-A');
});
afterAll(() => r.cleanup());

const COMMANDS: Array<[string, () => string[]]> = [
  ['scan', () => ['scan', '.']],
  ['staged', () => ['staged']],
  ['history', () => ['history']],
  ['diff', () => ['diff', '--base', base]],
  ['baseline', () => ['baseline', '.']],
];
const FORMATS = ['text', 'json', 'sarif', 'github'];

/** Bad configs whose errors quote a key (a value, a regex, a JSON syntax error next to one). */
const BAD_CONFIGS: Array<[string, string]> = [
  ['failLevel', JSON.stringify({ failLevel: keys.config })],
  ['allowSecrets.regexes', JSON.stringify({ allowSecrets: { regexes: [`^${keys.config}($`] } })],
  ['JSON syntax', `{"allowPaths": ${keys.config}}`],
  ['rules', JSON.stringify({ rules: { [keys.config]: 'off' } })],
];

function leaked(text: string): string[] {
  return allKeys.filter((k) => text.includes(k));
}

describe('leak sweep', () => {
  describe.each(COMMANDS)('%s', (name, argv) => {
    it.each(FORMATS)('--format %s: no whole key on stdout, stderr or in the --output file', async (format) => {
      const formatArgs = name === 'baseline' ? [] : ['--format', format];
      const printed = await run([...argv(), ...formatArgs], { cwd: r.dir });
      expect(printed.exitCode).not.toBe(2);
      expect(printed.stdout.length).toBeGreaterThan(0);
      expect(leaked(printed.stdout + printed.stderr)).toEqual([]);
      if (format === 'json' || format === 'sarif') {
        if (name !== 'baseline') expect(() => JSON.parse(printed.stdout)).not.toThrow();
      }
      const file = path.join(r.dir, `.git/sweep-${name}.${format}`);
      const written = await run([...argv(), ...formatArgs, '--output', file], { cwd: r.dir });
      expect(leaked(written.stdout + written.stderr + readFileSync(file, 'utf8'))).toEqual([]);
      rmSync(file);
    });

    it.each(BAD_CONFIGS)('a config error (%s) names the problem without the key', async (_field, text) => {
      const config = path.join(r.dir, '.git', 'bad-config.json');
      writeFileSync(config, text);
      const out = await run([...argv(), '--config', config], { cwd: r.dir });
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/^ms-leakscan: config /);
      expect(leaked(out.stdout + out.stderr)).toEqual([]);
      // Not even the seven characters of a key a JSON syntax error used to quote.
      expect(out.stderr).not.toContain(keys.config.slice(0, 7));
    });
  });

  it.each([
    ['scan', ['scan', '.', '--format', 'json'], keys.content],
    ['staged', ['staged', '--format', 'json'], keys.stagedContent],
    ['history', ['history', '--format', 'json'], keys.content],
    ['diff', ['diff', '--base', 'HEAD~1', '--format', 'json'], keys.content],
  ])('control: with --show-secret, %s prints the finding\'s key (so the sweep can fail)', async (_name, argv, key) => {
    const out = await run([...argv, '--show-secret'], { cwd: r.dir });
    expect(out.stdout).toContain(key);
  });

  it.each([['scan', '.'], ['history']])('control: with --show-secret, %s prints the keys found decoded, in the zip and in the binary', async (...argv) => {
    const out = await run([...argv, '--format', 'json', '--show-secret'], { cwd: r.dir });
    for (const key of [keys.base64, keys.zipMember, keys.binary]) expect(out.stdout).toContain(key);
  });

  // Issue 13: the key in the commit subject is now a finding of history and diff (at the commit, no path): the
  // sweep above shows it is never printed whole; this shows it is found, so the sweep covers a reported key.
  it.each([
    ['history', ['history']],
    ['diff', ['diff', '--base', 'HEAD~1']],
  ])('%s finds the key in the commit subject, and prints it only with --show-secret', async (_name, argv) => {
    const shown = await run([...argv, '--format', 'json', '--show-secret'], { cwd: r.dir });
    const found = JSON.parse(shown.stdout).findings.filter((f: { commitMessage?: boolean }) => f.commitMessage);
    expect(found.map((f: { path: string; secret: string; startLine: number }) => [f.path, f.secret, f.startLine])).toEqual([['', keys.subject, 1]]);
    const hidden = await run([...argv, '--format', 'json'], { cwd: r.dir });
    const redacted = JSON.parse(hidden.stdout).findings.filter((f: { commitMessage?: boolean }) => f.commitMessage);
    expect(redacted.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(found.map((f: { fingerprint: string }) => f.fingerprint));
    expect(leaked(hidden.stdout + hidden.stderr)).toEqual([]);
  });

  it('the sweep left no stray files', () => {
    expect(readdirSync(path.join(r.dir, '.git')).filter((f) => f.startsWith('sweep-') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('leak sweep: keys of a custom rule', () => {
  // The config's custom rules are known to the output edge once it is loaded: their keys are masked as built-in ones are.
  const acme = { content: `acme_${gen.hexDigest(12)}`, subject: `acme_${gen.hexDigest(12)}` };
  let repo: TempRepo;
  let config: string;
  beforeAll(() => {
    repo = new TempRepo();
    repo.write('README.md', 'nothing here\n').commit('initial');
    repo.write('acme.env', `ACME_TOKEN=${acme.content}\n`).commit(`rotate ACME_TOKEN=${acme.subject} everywhere`);
    config = path.join(repo.dir, '.git', 'acme-rules.json');
    writeFileSync(
      config,
      JSON.stringify({
        customRules: [
          {
            id: 'acme-internal-token',
            title: 'Acme internal token',
            pattern: '(?<![a-z0-9_])(?<secret>acme_(?<body>[a-z0-9]{24}))',
            keywords: ['acme_'],
            level: 'error',
            examples: { positive: ['ACME_TOKEN=acme_q8f3k2m9x7c4v1b6n5z0p2w7'] },
          },
        ],
      }),
    );
  });
  afterAll(() => repo.cleanup());
  const leakedAcme = (text: string): string[] => Object.values(acme).filter((k) => text.includes(k));

  it.each(FORMATS)('history --format %s: the custom key in a file and in a commit subject is never printed whole', async (format) => {
    const out = await run(['history', '--config', config, '--format', format], { cwd: repo.dir });
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(1);
    expect(leakedAcme(out.stdout + out.stderr)).toEqual([]);
    const file = path.join(repo.dir, '.git', `report.${format}`);
    const written = await run(['history', '--config', config, '--format', format, '--output', file], { cwd: repo.dir });
    expect(leakedAcme(written.stdout + written.stderr + readFileSync(file, 'utf8'))).toEqual([]);
    if (format === 'json' || format === 'sarif') expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
  });

  it('control: the text report shows the commit subject, whose key --show-secret prints (so the sweep can fail)', async () => {
    const shown = await run(['history', '--config', config, '--format', 'text', '--show-secret'], { cwd: repo.dir });
    expect(shown.stdout).toContain(acme.subject);
    const hidden = await run(['history', '--config', config, '--format', 'text'], { cwd: repo.dir });
    expect(hidden.stdout).toContain('rotate ACME_TOKEN=ac…');
  });
});
