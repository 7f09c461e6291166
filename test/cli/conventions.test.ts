import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { editDistance, oneUnknownPerOption, run } from '../../src/cli/run';
import { parseSize } from '../../src/cli/size';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';

const gen = new KeyGenerator('cli-conventions');

describe('--help', () => {
  it.each([[[]], [['staged']], [['message']], [['history']], [['diff']], [['init']], [['baseline']], [['merge']]])('%j --help matches the reviewed snapshot', async (command) => {
    const outcome = await run([...command, '--help'], { cwd: __dirname });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatchSnapshot();
  });

  it('shows the negated flags as users type them, examples, and a space before every [type]', async () => {
    const help = (await run(['--help'], { cwd: __dirname })).stdout;
    expect(help).toMatch(/^ +--no-ignore +Scan every file/m);
    expect(help).toMatch(/^ +--no-inline-allow +Ignore ms-leakscan:allow comments/m);
    expect(help).not.toMatch(/^ +--(?:ignore|inline-allow) /m);
    expect(help).toMatch(/^ +-f, --format /m);
    expect(help).toMatch(/^ +-o, --output /m);
    expect(help).toMatch(/^ +-c, --config /m);
    expect(help).toMatch(/^Examples:\n {2}ms-leakscan /m);
    expect(help).not.toMatch(/\S\[(?:boolean|string|number|array|choices|default)/);
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('command-line conventions', () => {
  const key = gen.legacy();
  let tree: ReturnType<typeof makeTree>;
  beforeAll(() => {
    tree = makeTree({
      'fixtures/sample.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
      'app.env': `DASHSCOPE_API_KEY=${key}\n`,
      'big/data.env': `${'#'.repeat(3000)}\nDASHSCOPE_API_KEY=${gen.legacy()}\n`,
    }, 'conventions');
    mkdirSync(path.join(tree.root, 'scna'));
  });
  afterAll(() => tree.remove());
  const cli = (...argv: string[]) => run(argv, { cwd: tree.root });
  const paths = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { path: string }[] }).findings.map((f) => f.path).sort();

  it('--exclude GLOB, repeatable, with the semantics of allowPaths', async () => {
    expect(paths((await cli('-f', 'json', '--exclude', 'fixtures/**')).stdout)).toEqual(['app.env', 'big/data.env']);
    expect(paths((await cli('-f', 'json', '--exclude', '*.env')).stdout)).toEqual([]);
    expect(paths((await cli('-f', 'json', '--exclude', '/data.env', '--exclude', 'fixtures/')).stdout)).toEqual(['app.env', 'big/data.env']);
    expect(paths((await cli('-f', 'json', '--exclude', 'data.env', '--exclude', 'app.env')).stdout)).toEqual(['fixtures/sample.env']);
  });

  it('--exclude and --max-file-size apply to git sources too (staged, history)', async () => {
    const r = new TempRepo();
    try {
      r.write('fixtures/a.env', `DASHSCOPE_API_KEY=${gen.legacy()}\n`).write('big.env', `${'#'.repeat(3000)}\nDASHSCOPE_API_KEY=${gen.legacy()}\n`);
      r.git('add', '-A');
      expect((await run(['staged', '-q'], { cwd: r.dir })).exitCode).toBe(1);
      expect((await run(['staged', '-q', '--exclude', 'fixtures/', '--max-file-size', '2kB'], { cwd: r.dir })).exitCode).toBe(0);
      r.commit('keys');
      expect((await run(['history', '-q', '--exclude', 'fixtures/'], { cwd: r.dir })).exitCode).toBe(1);
      expect((await run(['history', '-q', '--exclude', 'fixtures/', '--exclude', 'big.env'], { cwd: r.dir })).exitCode).toBe(0);
    } finally {
      r.cleanup();
    }
  });

  it('a bad --exclude is one line, exit 2', async () => {
    const outcome = await cli('--exclude', 'C:\\keys\\*');
    expect(outcome).toEqual({ exitCode: 2, stdout: '', stderr: 'ms-leakscan: --exclude C:\\keys\\*: is an absolute path — write it relative to the current folder\n' });
  });

  it('--max-file-size takes human sizes and wins over the config', async () => {
    const small = await cli('-f', 'json', '--max-file-size', '1kB');
    expect(paths(small.stdout)).toEqual(['app.env', 'fixtures/sample.env']);
    expect(JSON.stringify(JSON.parse(small.stdout).warnings)).toContain('big/data.env');
    expect(paths((await cli('-f', 'json', '--max-file-size', '10MB')).stdout)).toHaveLength(3);
    const bad = await cli('--max-file-size', 'huge');
    expect(bad).toEqual({ exitCode: 2, stdout: '', stderr: 'ms-leakscan: --max-file-size "huge": not a size — give bytes or a number with a unit, e.g. 500kB, 10MB or 1GB\n' });
  });

  it('-o writes the report, -f picks the format', async () => {
    const outcome = await cli('-f', 'json', '-o', 'report.json', 'app.env');
    expect(outcome.stdout).toBe('');
    expect(paths(readFileSync(path.join(tree.root, 'report.json'), 'utf8'))).toEqual(['app.env']);
  });

  it('a mistyped command is not taken for a path: did you mean', async () => {
    const outcome = await cli('histroy');
    expect(outcome).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'ms-leakscan: histroy: no such command, file or folder — did you mean ms-leakscan history? (to scan a path of that name, create it or write ./histroy)\n',
    });
    expect((await cli('stagd')).stderr).toContain('did you mean ms-leakscan staged?');
    // An existing folder of that name is scanned, as always.
    expect((await cli('scna')).exitCode).toBe(0);
    // Far from every command: the path's own error.
    expect((await cli('nothing-here')).stderr).not.toContain('did you mean');
  });

  it('--no-ignore and --no-inline-allow parse, and so do --ignore and --inline-allow', async () => {
    for (const flag of ['--no-ignore', '--ignore', '--no-inline-allow', '--inline-allow']) expect((await cli(flag, '-q', 'app.env')).exitCode).toBe(1);
  });

  it('names an unknown option once, with its dashes', async () => {
    expect((await cli('--max-size', '3')).stderr).toBe('ms-leakscan: unknown option --max-size — run ms-leakscan --help for usage\n');
    expect((await cli('--bogus', '--max-size', '3')).stderr).toBe('ms-leakscan: unknown options --bogus, --max-size — run ms-leakscan --help for usage\n');
  });
});

describe('helpers', () => {
  it.each([
    ['1', 1], ['500kB', 512000], ['10MB', 10485760], ['10 mb', 10485760], ['1.5K', 1536], ['1GiB', 1073741824], ['2b', 2],
  ])('parseSize(%j) = %i', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(['', '0', '-1', '10XB', 'MB', '1e3', '0.1'])('parseSize(%j) is refused', (text) => expect(() => parseSize(text)).toThrow(/not a size/));
  it.each([
    ['histroy', 'history', 1], ['stagd', 'staged', 1], ['scan', 'scan', 0], ['hist', 'history', 3],
  ])('editDistance(%s, %s) = %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));
  it('oneUnknownPerOption keeps the typed spelling of each option', () => {
    expect(oneUnknownPerOption('Unknown arguments: max-size, maxSize, x')).toBe('unknown options --max-size, -x');
    expect(oneUnknownPerOption('Not enough arguments')).toBe('Not enough arguments');
  });
});
