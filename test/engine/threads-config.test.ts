import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { workerStats } from '../../src/engine/worker-pool';
import type { Finding } from '../../src/types';
import { KeyGenerator } from '../support/keys';

/**
 * A config that changes a rule's level, adds a custom rule and allows some secrets used to turn worker threads off
 * (rules crossed to workers by identity). Workers now rebuild the same rules from plain data.
 */
describe('--threads with a config', () => {
  let root: string;
  let allowedKeys = 0;
  const gen = new KeyGenerator('threads-config');

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-threads-config-'));
    for (let i = 0; i < 300; i++) {
      const dir = path.join(root, `pkg-${i % 10}`);
      mkdirSync(dir, { recursive: true });
      const lines = Array.from({ length: 20 }, (_, n) => `const value${n} = compute(${n});`);
      if (i % 4 === 0) lines.splice(5, 0, `api_key = "${gen.legacy()}"`); // a warning the config raises to error
      if (i % 6 === 0) lines.splice(8, 0, `INTERNAL_TOKEN=itk_${gen.bytes(12).toString('hex')}`); // the custom rule
      if (i % 25 === 0) {
        lines.splice(3, 0, `DASHSCOPE_API_KEY=sk-0000${gen.uuidHex().slice(4)}`); // allowed by the config's regex
        allowedKeys++;
      }
      writeFileSync(path.join(dir, `file-${i}.py`), lines.join('\n'));
    }
    const example = `INTERNAL_TOKEN=itk_${gen.bytes(12).toString('hex')}`;
    writeFileSync(
      path.join(root, '.ms-leakscan.json'),
      JSON.stringify({
        rules: { 'alibaba-model-studio-api-key': 'error' },
        customRules: [
          {
            id: 'internal-token',
            title: 'Internal token',
            pattern: 'itk_[0-9a-f]{24}',
            keywords: ['itk_'],
            level: 'warning',
            examples: { positive: [example] },
          },
        ],
        allowSecrets: { regexes: ['^sk-0000'] },
        allowPaths: ['.ms-leakscan.json'],
      }),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts workers and finds what one thread finds: levels, custom rule, allowlist, redaction', async () => {
    const scan = async (threads: string) => {
      const before = workerStats.started;
      const outcome = await run(['scan', '.', '--format', 'json', '--no-ignore', '--threads', threads], { cwd: root });
      const report = JSON.parse(outcome.stdout);
      return { workers: workerStats.started - before, findings: report.findings as Finding[], suppressed: report.stats.suppressed, exitCode: outcome.exitCode };
    };
    const one = await scan('1');
    const four = await scan('4');
    expect(one.workers).toBe(0);
    expect(four.workers).toBe(3);
    expect(four.findings).toEqual(one.findings);
    expect(four.suppressed).toBe(one.suppressed);
    expect(one.suppressed).toBe(allowedKeys);
    const byRule = (rule: string) => one.findings.filter((f) => f.ruleId === rule);
    expect(byRule('alibaba-model-studio-api-key').map((f) => f.level)).toEqual(Array(75).fill('error'));
    expect(byRule('internal-token')).toHaveLength(50);
    expect(four.findings.filter((f) => !f.secret.includes('…'))).toEqual([]);
  });
});
