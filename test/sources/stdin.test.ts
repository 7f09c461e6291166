import { spawnSync } from 'node:child_process';
import { run } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { BIN_PATH } from '../support/cli-process';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';

const gen = new KeyGenerator('stdin');

async function scanStdin(argv: string[], chunks: Buffer[], cwd: string) {
  const outcome = await run([...argv, '--format', 'json'], { cwd, stdin: chunks });
  const doc = outcome.stdout ? JSON.parse(outcome.stdout) : { findings: [], warnings: [], errors: [] };
  return { exitCode: outcome.exitCode, stderr: outcome.stderr, where: (doc.findings as Finding[]).map((f) => `${f.path}:${f.startLine}:${f.startColumn}`), doc };
}

describe('ms-leakscan - (standard input as a source)', () => {
  const tree = makeTree({ 'on-disk.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` }, 'stdin');
  afterAll(() => tree.remove());

  it('scans what comes in, not the current folder, and shows it at <stdin>', async () => {
    const key = gen.legacy();
    const out = await scanStdin(['-', '--no-config'], [Buffer.from(`# config\nDASHSCOPE_API_KEY=${key}\n`)], tree.root);
    expect([out.exitCode, out.where]).toEqual([1, ['<stdin>:2:19']]);
    expect(out.doc.stats.files).toBe(1);
  });

  it('cuts a stream that arrives in small pieces as a file is cut: the same line and column', async () => {
    const text = Buffer.from(`${'x\n'.repeat(5000)}DASHSCOPE_API_KEY=${gen.legacy()}\n`);
    const pieces: Buffer[] = [];
    for (let at = 0; at < text.length; at += 777) pieces.push(text.subarray(at, at + 777));
    const out = await scanStdin(['-', '--no-config'], pieces, tree.root);
    expect(out.where).toEqual(['<stdin>:5001:19']);
  });

  it('--stdin-filename names the input, and allowPaths of the config match that name', async () => {
    const named = await scanStdin(['-', '--no-config', '--stdin-filename', 'src/app.env'], [Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}\n`)], tree.root);
    expect(named.where).toEqual(['src/app.env:1:19']);
    const configured = makeTree({ '.ms-leakscan.json': JSON.stringify({ allowPaths: ['fixtures/**'] }) }, 'stdin-config');
    try {
      const allowed = await scanStdin(['-', '--stdin-filename', 'fixtures/k.env'], [Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}\n`)], configured.root);
      expect([allowed.exitCode, allowed.where]).toEqual([0, []]);
      const notAllowed = await scanStdin(['-', '--stdin-filename', 'src/k.env'], [Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}\n`)], configured.root);
      expect([notAllowed.exitCode, notAllowed.where]).toEqual([1, ['src/k.env:1:19']]);
    } finally {
      configured.remove();
    }
  });

  it('decodes UTF-16 input, and scans binary input by its printable strings as for files (skipped with --no-binary-strings)', async () => {
    const key = gen.legacy();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`DASHSCOPE_API_KEY=${key}\n`, 'utf16le')]);
    expect((await scanStdin(['-', '--no-config'], [utf16.subarray(0, 11), utf16.subarray(11)], tree.root)).where).toEqual(['<stdin>:1:19']);
    const binary = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`DASHSCOPE_API_KEY=${key}\n`)]);
    const strings = await scanStdin(['-', '--no-config'], [binary], tree.root);
    expect([strings.exitCode, strings.where, strings.doc.stats.files]).toEqual([1, ['<stdin>:1:1'], 0]);
    const skipped = await scanStdin(['-', '--no-config', '--no-binary-strings'], [binary], tree.root);
    expect([skipped.exitCode, skipped.where, skipped.doc.stats.files]).toEqual([0, [], 0]);
  });

  it('reads the real standard input of the process (echo … | ms-leakscan -): exit 1, not a scan of the folder', () => {
    const child = spawnSync(process.execPath, [BIN_PATH, '-', '--no-config', '--format', 'json'], {
      cwd: tree.root,
      input: `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    expect(child.status).toBe(1);
    expect((JSON.parse(child.stdout).findings as Finding[]).map((f) => f.path)).toEqual(['<stdin>']);
  });
});

describe('ms-leakscan - with paths', () => {
  it('is a one-line usage error, exit 2', async () => {
    const tree = makeTree({ 'a.txt': 'x\n' }, 'stdin-mixed');
    try {
      expect(await run(['-', 'a.txt'], { cwd: tree.root, stdin: [] })).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'ms-leakscan: - (standard input) cannot be scanned together with paths — scan them in two runs\n',
      });
    } finally {
      tree.remove();
    }
  });
});

describe('--stdin-filename without -', () => {
  it('is a one-line usage error, not a silent scan of the folder', async () => {
    const tree = makeTree({ 'a.txt': 'x\n' }, 'stdin-name');
    try {
      const outcome = await run(['--stdin-filename', 'a.env'], { cwd: tree.root, stdin: [] });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toBe(
        'ms-leakscan: --stdin-filename names standard input, which is scanned only with - — add - (e.g. cat FILE | ms-leakscan - --stdin-filename FILE), or drop --stdin-filename\n',
      );
    } finally {
      tree.remove();
    }
  });
});
