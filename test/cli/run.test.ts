import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { packageInfo } from '../../src/version';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';

const gen = new KeyGenerator('cli');
const ESC = '\u001b[';

/** A tree with one error-level key (signed), one warning (legacy without context) and one note (temporary key). */
const keys = { error: gen.signed(), warning: gen.legacy(), note: gen.temporary() };
let root: string;
let remove: () => void;
beforeAll(() => {
  ({ root, remove } = makeTree(
    {
      'error.env': `DASHSCOPE_API_KEY=${keys.error}\n`,
      'warning.py': `api_key = "${keys.warning}"\n`,
      'note.json': `{"token": "${keys.note}", "host": "dashscope.aliyuncs.com"}\n`,
      'clean/readme.md': '# nothing here\n',
      'warn-only/a.py': `api_key = "${gen.legacy()}"\n`,
      'note-only/t.json': `{"token": "${gen.temporary()}", "base": "https://dashscope-intl.aliyuncs.com"}\n`,
    },
    'cli',
  ));
});
afterAll(() => remove());

const cli = (argv: string[], env: NodeJS.ProcessEnv = {}, tty: { isTTY?: boolean; stdoutIsTTY?: boolean } = {}) =>
  run(argv, { cwd: root, env, ...tty });

describe('exit codes', () => {
  it.each([
    ['a clean folder', ['clean'], 0],
    ['findings at the default fail level (warning)', ['.'], 1],
    ['only a warning with --fail-level error', ['--fail-level', 'error', 'warn-only'], 0],
    ['only a warning with --fail-level warning', ['--fail-level', 'warning', 'warn-only'], 1],
    ['only a note at the default fail level', ['note-only'], 0],
    ['only a note with --fail-level note', ['--fail-level', 'note', 'note-only'], 1],
    ['the explicit scan command', ['scan', 'clean'], 0],
  ])('%s %j → exit %i', async (_what, argv, code) => {
    const outcome = await cli(argv);
    expect(outcome.exitCode).toBe(code);
    expect(outcome.stderr).toBe('');
  });
});

describe('usage errors: exit 2, one line naming the problem and the fix', () => {
  it.each([
    ['an unknown option', ['--bogus', '.'], 'ms-leakscan: unknown option --bogus — run ms-leakscan --help for usage\n'],
    [
      'a bad --format',
      ['--format', 'xml', '.'],
      'ms-leakscan: Invalid values: Argument: format, Given: "xml", Choices: "text", "json", "sarif", "github" — run ms-leakscan --help for usage\n',
    ],
    [
      'a bad --fail-level',
      ['--fail-level', 'high', '.'],
      'ms-leakscan: Invalid values: Argument: fail-level, Given: "high", Choices: "error", "warning", "note" — run ms-leakscan --help for usage\n',
    ],
    ['a path that does not exist', ['nope'], 'ms-leakscan: path not found: nope — check the path, or run from the folder that holds it\n'],
    [
      '--output into a missing folder',
      ['--output', 'missing/dir/report.json', 'clean'],
      'ms-leakscan: cannot write --output missing/dir/report.json: its folder does not exist (ENOENT) — create the folder or pick another path\n',
    ],
    [
      '--output onto a folder',
      ['--output', 'clean', 'clean'],
      'ms-leakscan: cannot write --output clean: it is a folder — pick a path to a file\n',
    ],
  ])('%s', async (_what, argv, message) => {
    const outcome = await cli(argv);
    expect(outcome).toEqual({ exitCode: 2, stdout: '', stderr: message.replace('<root>', root) });
    expect(outcome.stderr.split('\n')).toHaveLength(2); // one line and its newline
  });

  it('--output into a folder the user cannot write', async () => {
    if (process.getuid?.() === 0 && process.seteuid) {
      const locked = path.join(root, 'locked');
      mkdirSync(locked, { mode: 0o555 });
      chmodSync(root, 0o755);
      process.seteuid(65534);
      let outcome;
      try {
        outcome = await cli(['--no-ignore', '--output', 'locked/r.json', 'clean']);
      } finally {
        process.seteuid(0);
      }
      expect(outcome).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'ms-leakscan: cannot write --output locked/r.json: permission denied (EACCES) — pick a writable path\n',
      });
    }
  });

  it('no stack trace unless --debug', async () => {
    const plain = await cli(['--bogus']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('secrets in output', () => {
  const all = Object.values(keys);

  it.each([['text'], ['json']])('without --show-secret no whole secret is printed (%s), not even its middle', async (format) => {
    const outcome = await cli(['--format', format, '--fail-level', 'note', '.']);
    const printed = outcome.stdout + outcome.stderr;
    expect(outcome.exitCode).toBe(1);
    for (const secret of all) {
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(secret.slice(6, -6));
    }
  });

  it('json without --show-secret carries the redacted form, prefix and two characters of each end', async () => {
    const outcome = await cli(['--format', 'json', '.']);
    const secrets = (JSON.parse(outcome.stdout) as { findings: { path: string; secret: string }[] }).findings.map((f) => [f.path, f.secret]);
    expect(secrets).toEqual([
      ['error.env', `sk-ws-${keys.error.slice(6, 8)}…${keys.error.slice(-2)}`],
      ['note-only/t.json', expect.stringMatching(/^st-[0-9a-f]{2}…[0-9a-f]{2}$/)],
      ['note.json', `st-${keys.note.slice(3, 5)}…${keys.note.slice(-2)}`],
      ['warn-only/a.py', expect.stringMatching(/^sk-[0-9a-f]{2}…[0-9a-f]{2}$/)],
      ['warning.py', `sk-${keys.warning.slice(3, 5)}…${keys.warning.slice(-2)}`],
    ]);
  });

  it.each([['text'], ['json']])('--show-secret prints every whole secret (%s)', async (format) => {
    const outcome = await cli(['--format', format, '--show-secret', '.']);
    for (const secret of all) expect(outcome.stdout).toContain(secret);
  });

  it('--output writes the report to the file, a summary to standard error, nothing to standard output', async () => {
    const outcome = await cli(['--format', 'json', '--output', 'report.json', 'warning.py']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^1 finding \(0 errors, 1 warning, 0 notes\), in 1 file \(48 B\), \d+ ms; report written to report.json\n$/);
    const written = readFileSync(path.join(root, 'report.json'), 'utf8');
    expect(JSON.parse(written).findings).toHaveLength(1);
    expect(written).not.toContain(keys.warning);
  });
});

describe('text output', () => {
  it('groups by file and ends with one summary line', async () => {
    const outcome = await cli(['warning.py']);
    const lines = outcome.stdout.split('\n');
    expect(lines[0]).toBe('warning.py');
    // Wrapped to 80 columns (not a terminal), the continuation under the message.
    expect(lines[1]).toMatch(/^ {2}1:12 {6}warning sk-[0-9a-f]{2}…[0-9a-f]{2} {2}Alibaba Cloud Model Studio API key \(Model Studio$/);
    expect(lines[2]).toBe(`${' '.repeat(20)}or DeepSeek key)  alibaba-model-studio-api-key [fix 1]`);
    expect(lines.at(-2)).toMatch(/^1 finding \(0 errors, 1 warning, 0 notes\), in 1 file \(48 B\), \d+ ms$/);
    expect(lines.at(-1)).toBe('');
  });

  it('--quiet drops the summary line, keeps findings; a clean quiet scan prints nothing', async () => {
    const noisy = await cli(['warning.py']);
    const quiet = await cli(['--quiet', 'warning.py']);
    expect(quiet.stdout).toContain('warning.py\n  1:12');
    expect(quiet.stdout).not.toMatch(/finding.*in 1 file/);
    expect(noisy.stdout.startsWith(quiet.stdout.trimEnd())).toBe(true);
    expect(await cli(['-q', 'clean'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it.each([
    ['standard output is not a terminal', [], {}, { stdoutIsTTY: false, isTTY: true }, false],
    ['standard output is a terminal', [], {}, { stdoutIsTTY: true }, true],
    ['a terminal, but --no-color', ['--no-color'], {}, { stdoutIsTTY: true }, false],
    ['a terminal, but NO_COLOR is set', [], { NO_COLOR: '1' }, { stdoutIsTTY: true }, false],
    ['not a terminal, but --color', ['--color'], {}, {}, true],
    ['json in a terminal', ['--format', 'json'], {}, { stdoutIsTTY: true }, false],
    ['a terminal, NO_COLOR empty (unset, as no-color.org says)', [], { NO_COLOR: '' }, { stdoutIsTTY: true }, true],
    ['not a terminal, FORCE_COLOR=1', [], { FORCE_COLOR: '1' }, {}, true],
    ['not a terminal, FORCE_COLOR=0 (any non-empty value forces, as force-color.org says)', [], { FORCE_COLOR: '0' }, {}, true],
    ['not a terminal, FORCE_COLOR empty', [], { FORCE_COLOR: '' }, {}, false],
    ['FORCE_COLOR and NO_COLOR both set (FORCE_COLOR wins, as in Node.js)', [], { FORCE_COLOR: '1', NO_COLOR: '1' }, {}, true],
    ['FORCE_COLOR, but --no-color', ['--no-color'], { FORCE_COLOR: '1' }, {}, false],
    ['FORCE_COLOR, but --format json', ['--format', 'json'], { FORCE_COLOR: '1' }, {}, false],
  ])('colour when %s (%j)', async (_what, flags, env, tty, coloured) => {
    const outcome = await cli([...flags, 'warning.py'], env, tty);
    expect(outcome.stdout.includes(ESC)).toBe(coloured);
    if (coloured) expect(outcome.stdout).toContain(`${ESC}33mwarning`);
  });
});

describe('--version and --help', () => {
  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ exitCode: 0, stdout: `${packageInfo().version}\n`, stderr: '' });
    expect(packageInfo().version).toBe(JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version);
  });

  it.each([['--help'], ['-h']])('%s lists the options and exit codes, exit 0', async (flag) => {
    const outcome = await cli([flag]);
    expect(outcome.exitCode).toBe(0);
    for (const option of ['--format', '--output', '--fail-level', '--show-secret', '--no-ignore', '--color', '--quiet', '--version', '--help']) {
      expect(outcome.stdout).toContain(option);
    }
    expect(outcome.stdout.replace(/\s*\n\s*/g, ' ')).toContain('Exit codes: 0 nothing at or above --fail-level, 1 findings, 2 usage, config or runtime error.');
  });
});

describe('JSON contract', () => {
  it('has exactly the documented shape', async () => {
    const outcome = await cli(['--format', 'json', '--fail-level', 'note', 'error.env', 'note.json']);
    const doc = JSON.parse(outcome.stdout);
    expect(Object.keys(doc)).toEqual(['tool', 'findings', 'errors', 'warnings', 'stats']);
    expect(doc.tool).toEqual({ name: 'ms-leakscan', version: packageInfo().version });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(doc.stats).toEqual({ files: 2, bytes: expect.any(Number), durationMs: expect.any(Number), suppressed: 0 });
    expect(doc.findings).toEqual([
      {
        ruleId: 'alibaba-model-studio-signed-api-key',
        level: 'error',
        confidence: 'high',
        path: 'error.env',
        startLine: 1,
        startColumn: 19,
        endLine: 1,
        endColumn: 19 + keys.error.length,
        secret: `sk-ws-${keys.error.slice(6, 8)}…${keys.error.slice(-2)}`,
        fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/),
        entropy: expect.any(Number),
        message: 'Alibaba Cloud Model Studio API key (upgraded, signed)',
        remediation: expect.stringContaining('the region where it was created'),
      },
      {
        ruleId: 'alibaba-model-studio-temporary-api-key',
        level: 'note',
        confidence: 'high',
        path: 'note.json',
        startLine: 1,
        startColumn: 12,
        endLine: 1,
        endColumn: 12 + keys.note.length,
        secret: `st-${keys.note.slice(3, 5)}…${keys.note.slice(-2)}`,
        fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/),
        entropy: expect.any(Number),
        region: 'cn-beijing',
        message: 'Alibaba Cloud Model Studio temporary API key, region China (Beijing)',
        remediation: expect.stringContaining('China (Beijing)'),
      },
    ]);
    // Key order of a finding, as the issue lists it (message and remediation added after).
    expect(Object.keys(doc.findings[1])).toEqual([
      'ruleId', 'level', 'confidence', 'path', 'startLine', 'startColumn', 'endLine', 'endColumn', 'secret', 'fingerprint', 'entropy', 'region',
      'message', 'remediation',
    ]);
  });

  it('fingerprints do not depend on the line or the file, and differ between secrets', async () => {
    const { root: other, remove: removeOther } = makeTree({ 'moved/deeper.txt': `\n\n\n  x = "${keys.error}"\n` }, 'cli-moved');
    try {
      const here = JSON.parse((await cli(['--format', 'json', 'error.env', 'warning.py'])).stdout).findings;
      const there = JSON.parse((await run(['--format', 'json', '.'], { cwd: other, env: {} })).stdout).findings;
      expect(there[0].fingerprint).toBe(here[0].fingerprint);
      expect(here[1].fingerprint).not.toBe(here[0].fingerprint);
    } finally {
      removeOther();
    }
  });
});
