import { TempWorld } from '../support/config-world';
import { KeyGenerator } from '../support/keys';
import type { Finding } from '../../src/types';

const gen = new KeyGenerator('config-effects');
const keyLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

/** A finding as the JSON report writes it. */
type JsonFinding = Finding;
const where = (findings: JsonFinding[]): string[] => findings.map((f) => `${f.path}:${f.startLine}`);

describe('config discovery', () => {
  let world: TempWorld;
  beforeEach(() => {
    world = new TempWorld();
  });
  afterEach(() => world.cleanup());

  it('finds the config of the repository top from a subfolder, with globs relative to the config', async () => {
    world.initGit().write({ '.ms-leakscan.json': '{ "allowPaths": ["sub/skip/**"] }', 'sub/skip/a.env': keyLine(), 'sub/keep/a.env': keyLine() });
    const { report, exitCode } = await world.json(['.'], 'sub');
    expect(exitCode).toBe(1);
    expect(where(report.findings)).toEqual(['keep/a.env:1']);
  });

  it('starts from the first path given, not the current folder', async () => {
    world.write({ 'proj/.ms-leakscan.json': '{ "allowPaths": ["skip/**"] }', 'proj/skip/a.env': keyLine(), 'proj/a.env': keyLine() });
    world.git('init', '-q', world.path('proj'));
    const { report } = await world.json(['proj']);
    expect(where(report.findings)).toEqual(['proj/a.env:1']);
  });

  it('does not look above the top of the git work tree', async () => {
    world.write({ '.ms-leakscan.json': '{ "rules": { "alibaba-model-studio-api-key": "off" } }', 'repo/a.env': keyLine() });
    world.git('init', '-q', world.path('repo'));
    const { report, exitCode } = await world.json(['.'], 'repo');
    expect(exitCode).toBe(1);
    expect(where(report.findings)).toEqual(['a.env:1']);
  });

  it('reads the "ms-leakscan" key of package.json', async () => {
    world.initGit().write({ 'package.json': '{ "name": "p", "ms-leakscan": { "allowPaths": ["*.env"] } }', 'a.env': keyLine(), 'b.txt': keyLine() });
    const { report } = await world.json(['.']);
    expect(where(report.findings)).toEqual(['b.txt:1']);
  });

  it('prefers .ms-leakscan.json over a package.json key in the same folder, and warns', async () => {
    world.initGit().write({
      'package.json': '{ "name": "p", "ms-leakscan": { "allowPaths": ["*.txt"] } }',
      '.ms-leakscan.json': '{ "allowPaths": ["*.env"] }',
      'a.env': keyLine(),
      'b.txt': keyLine(),
    });
    const { report } = await world.json(['.']);
    expect(where(report.findings)).toEqual(['b.txt:1']);
    expect(report.warnings).toEqual(['package.json: its "ms-leakscan" key is ignored because .ms-leakscan.json is used — keep one of them']);
  });

  it('--config names a file anywhere and skips the search; --no-config ignores config files', async () => {
    world.initGit().write({ '.ms-leakscan.json': '{ "allowPaths": ["a.env"] }', 'ci/strict.json': '{ "failLevel": "error" }', 'a.env': keyLine(), 'b.env': `api_key = "${gen.legacy()}"\n` });
    const explicit = await world.json(['.', '--config', 'ci/strict.json']);
    expect(where(explicit.report.findings)).toEqual(['a.env:1', 'b.env:1']);
    const none = await world.json(['.', '--no-config']);
    expect(where(none.report.findings)).toEqual(['a.env:1', 'b.env:1']);
    expect(none.exitCode).toBe(1);
  });
});

describe('config options', () => {
  let world: TempWorld;
  beforeEach(() => {
    world = new TempWorld().initGit();
  });
  afterEach(() => world.cleanup());

  it('"rules" turns a rule off or sets its level', async () => {
    world.write({ 'a.env': keyLine(), 'b.env': `ALIBABA_CLOUD_ACCESS_KEY_ID=${gen.accessKeyId()}\n` });
    const before = await world.json(['.']);
    expect(before.report.findings.map((f: JsonFinding) => `${f.ruleId}:${f.level}`)).toEqual(['alibaba-model-studio-api-key:error', 'alibaba-cloud-access-key-id:warning']);
    world.writeJson('.ms-leakscan.json', { rules: { 'alibaba-cloud-access-key-id': 'off', 'alibaba-model-studio-api-key': 'note' } });
    const after = await world.json(['.']);
    expect(after.report.findings.map((f: JsonFinding) => `${f.ruleId}:${f.level}`)).toEqual(['alibaba-model-studio-api-key:note']);
    expect(after.exitCode).toBe(0); // note is below the default fail level
    expect((await world.run(['.', '--fail-level', 'note'])).exitCode).toBe(1);
  });

  it.each([
    // [config failLevel, --fail-level flag, exit code for one warning-level finding]
    [undefined, undefined, 1],
    ['error', undefined, 0],
    ['error', 'warning', 1],
    ['note', 'error', 0],
  ])('failLevel %s with --fail-level %s exits %i', async (failLevel, flag, exitCode) => {
    world.write({ 'a.py': `api_key = "${gen.legacy()}"\n` }); // no vendor context: warning
    if (failLevel) world.writeJson('.ms-leakscan.json', { failLevel });
    const outcome = await world.json(['.', ...(flag ? ['--fail-level', flag] : [])]);
    expect(outcome.report.findings.map((f: JsonFinding) => f.level)).toEqual(['warning']);
    expect(outcome.exitCode).toBe(exitCode);
  });

  it('a custom rule reports at its level and place, but not its own examples inside the config file', async () => {
    const config = {
      customRules: [
        {
          id: 'acme-internal-token',
          title: 'Acme internal token',
          pattern: '(?<![a-z0-9_])(?<secret>acme_(?<body>[a-z0-9]{24}))',
          keywords: ['acme_'],
          entropyFloor: 3,
          level: 'error',
          remediation: 'Revoke it at https://acme.invalid/tokens.',
          examples: { positive: ['ACME_TOKEN=acme_q8f3k2m9x7c4v1b6n5z0p2w7'], negative: ['ACME_TOKEN=acme_aaaaaaaaaaaaaaaaaaaaaaaa', 'xacme_q8f3k2m9x7c4v1b6n5z0p2w7'] },
        },
      ],
    };
    world.writeJson('.ms-leakscan.json', config).write({
      'app.js': 'const a = 1;\nconst token = "acme_h3k9x2m8q4w7e1r6t5y0u2i9";\n',
      'copy.env': 'ACME_TOKEN=acme_q8f3k2m9x7c4v1b6n5z0p2w7\n', // the example's secret outside the config is a finding
    });
    const { report, exitCode, stderr } = await world.json(['.']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(1);
    expect(report.findings.map((f: JsonFinding) => [f.path, f.ruleId, f.level, f.startLine, f.startColumn, f.endColumn, f.message])).toEqual([
      ['app.js', 'acme-internal-token', 'error', 2, 16, 45, 'Acme internal token'],
      ['copy.env', 'acme-internal-token', 'error', 1, 12, 41, 'Acme internal token'],
    ]);
    expect(report.stats.suppressed).toBe(1); // the example in .ms-leakscan.json
  });

  it('a custom rule without a secret group reports the whole match', async () => {
    world.writeJson('.ms-leakscan.json', {
      customRules: [{ id: 'acme-pin', title: 'Acme PIN', pattern: 'PIN-[0-9]{6}', flags: 'i', keywords: ['PIN-', 'pin-'], examples: { positive: ['pin-493817'] } }],
    });
    world.write({ 'a.txt': 'door: PIN-582931 and pin-104857\n' });
    const { report } = await world.json(['.', '--show-secret']);
    expect(report.findings.map((f: JsonFinding & { secret: string }) => `${f.startColumn}-${f.endColumn} ${f.secret} ${f.level}`)).toEqual([
      '7-17 PIN-582931 warning',
      '22-32 pin-104857 warning',
    ]);
  });

  it('"allowSecrets" allows secrets by stopword or regex, and counts them as suppressed', async () => {
    const sandbox = gen.legacy();
    world.writeJson('.ms-leakscan.json', { allowSecrets: { stopwords: [sandbox.slice(10, 20).toUpperCase()], regexes: ['^LTAI5t'] } });
    world.write({ 'a.env': `DASHSCOPE_API_KEY=${sandbox}\nALIBABA_CLOUD_ACCESS_KEY_ID=${gen.accessKeyId()}\n${keyLine()}` });
    const { report } = await world.json(['.']);
    expect(where(report.findings)).toEqual(['a.env:3']);
    expect(report.stats.suppressed).toBe(2);
  });

  it('"maxFileSize" skips larger files with a warning', async () => {
    world.writeJson('.ms-leakscan.json', { maxFileSize: 200 });
    world.write({ 'small.env': keyLine(), 'big.env': `${'#'.repeat(300)}\n${keyLine()}` });
    const { report, exitCode } = await world.json(['.']);
    expect(where(report.findings)).toEqual(['small.env:1']);
    expect(report.warnings).toEqual(['1 file(s) larger than maxFileSize (200 bytes) not scanned: big.env — raise maxFileSize in the config to scan them']);
    expect(exitCode).toBe(1);
  });
});

describe('"allowPaths" globs', () => {
  const files = ['top.env', 'nested/top.env', 'fixtures/a.env', 'fixtures/deep/b.env', 'docs/guide.md', 'docs/api/ref.md', 'conf.sample', 'x/y/conf.sample', 'vendor/lib/k.txt', 'local/k.txt', 'src/app.env'];

  // [name, globs as written in JSON, the files still scanned]
  const table: [string, string[], string[]][] = [
    ['forward slashes', ['fixtures/**'], files.filter((f) => !f.startsWith('fixtures/'))],
    ['Windows-style backslashes', ['fixtures\\**', 'docs\\*.md'], files.filter((f) => !f.startsWith('fixtures/') && f !== 'docs/guide.md')],
    ['Windows-style with .\\ prefix and trailing backslash', ['.\\vendor\\', '.\\docs\\api\\ref.md'], files.filter((f) => !f.startsWith('vendor/') && f !== 'docs/api/ref.md')],
    ['a name without a slash matches at any depth', ['*.sample'], files.filter((f) => !f.endsWith('.sample'))],
    ['a leading slash anchors to the config folder', ['/top.env'], files.filter((f) => f !== 'top.env')],
    ['a trailing slash means everything below', ['vendor/', './local/'], files.filter((f) => !f.startsWith('vendor/') && !f.startsWith('local/'))],
    ['braces and classes (picomatch)', ['{docs,local}/**', 'src/[a-c]*.env'], files.filter((f) => !f.startsWith('docs/') && !f.startsWith('local/') && f !== 'src/app.env')],
  ];

  const world = new TempWorld().initGit();
  beforeAll(() => {
    for (const f of files) world.write({ [f]: `${f.endsWith('.md') ? 'Set `DASHSCOPE_API_KEY`:\n' : ''}${keyLine()}` });
  });
  afterAll(() => world.cleanup());

  it.each(table)('%s: %j', async (_name, allowPaths, scanned) => {
    world.writeJson('.ms-leakscan.json', { allowPaths });
    const { report } = await world.json(['.']);
    expect(report.findings.map((f: JsonFinding) => f.path)).toEqual([...scanned].sort());
  });
});
