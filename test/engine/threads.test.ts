import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { workerEntry } from '../../src/engine/worker-pool';
import { KeyGenerator } from '../support/keys';

/** A tree with keys of every kind spread over enough files that two workers share the work. */
function buildTree(root: string): number {
  const gen = new KeyGenerator('threads');
  let keys = 0;
  for (let i = 0; i < 60; i++) {
    const dir = path.join(root, `pkg-${i % 6}`);
    mkdirSync(dir, { recursive: true });
    const lines = Array.from({ length: 40 }, (_, n) => `const value${n} = compute(${n}); // task-${gen.uuidHex()}`);
    if (i % 3 === 0) {
      lines.splice(10, 0, `DASHSCOPE_API_KEY=${gen.legacy()}`, `key = "${gen.signed()}"`);
      lines.splice(30, 0, `access_key_id = "${gen.accessKeyId()}"`, `access_key_secret = "${gen.accessKeySecret()}"`);
      keys += 4;
    }
    if (i % 7 === 0) lines.splice(20, 0, `api_key = "${gen.legacy()}"  # ms-leakscan:allow`);
    writeFileSync(path.join(dir, `file-${i}.py`), lines.join('\n'));
  }
  writeFileSync(path.join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0, 1, 2, 3]));
  return keys;
}

describe('--threads', () => {
  let root: string;
  let keys: number;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-threads-'));
    keys = buildTree(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the worker from dist/ (built by npm ci)', () => {
    expect(workerEntry()).toMatch(/dist[\\/]src[\\/]engine[\\/]scan-worker\.js$/);
  });

  it.each([['--show-secret'], ['--no-inline-allow']])('finds the same findings with 1, 2 and 3 threads (%s)', async (flag) => {
    const scan = async (threads: string) => {
      const outcome = await run(['scan', '.', '--format', 'json', '--no-ignore', '--threads', threads, flag], { cwd: root });
      const report = JSON.parse(outcome.stdout);
      return { exitCode: outcome.exitCode, findings: report.findings, errors: report.errors, files: report.stats.files, bytes: report.stats.bytes, suppressed: report.stats.suppressed };
    };
    const one = await scan('1');
    const two = await scan('2');
    const three = await scan('3');
    expect(one.findings.length).toBe(flag === '--no-inline-allow' ? keys + 9 : keys);
    expect(two).toEqual(one);
    expect(three).toEqual(one);
  });

  it('redacts secrets found on workers', async () => {
    const outcome = await run(['scan', '.', '--format', 'json', '--no-ignore', '--threads', '2'], { cwd: root });
    const findings: { secret: string }[] = JSON.parse(outcome.stdout).findings;
    expect(findings.filter((f) => !f.secret.includes('…'))).toEqual([]);
  });

  it.each([
    ['0', '--threads 0 is not a whole number of at least 1'],
    ['1.5', '--threads 1.5 is not a whole number of at least 1'],
    ['x', '--threads needs a number'],
  ])('rejects --threads %s', async (value, message) => {
    const outcome = await run(['scan', '.', '--threads', value], { cwd: root });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toBe(`ms-leakscan: ${message} — e.g. --threads 4, or leave it out to use every core\n`);
  });
});
