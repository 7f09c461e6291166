import { builtinRules } from '../../rules';
import { run } from '../../src/cli/run';
import { escapeData, escapeProperty, formatGithub, workflowCommand } from '../../src/report/github';
import type { Finding, ScanResult } from '../../src/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('github-format');
const context = { toolName: 'ms-leakscan', toolVersion: '0.0.0', color: false, source: 'diff', failLevel: 'warning' as const, rules: builtinRules };

describe('workflow-command escaping', () => {
  it.each([
    ['plain', 'plain', 'plain'],
    ['50%', '50%25', '50%25'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['k: v, w', 'k: v, w', 'k%3A v%2C w'],
    ['%0A literal', '%250A literal', '%250A literal'],
  ])('%j → data %j, property %j', (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });

  it('builds a command and leaves out empty properties', () => {
    expect(workflowCommand('warning', { file: 'a,b:c.txt', line: 3, title: undefined, col: '' }, 'x\ny')).toBe('::warning file=a%2Cb%3Ac.txt,line=3::x%0Ay');
  });
});

describe('--format github', () => {
  function finding(over: Partial<Finding>): Finding {
    return {
      ruleId: 'alibaba-model-studio-api-key',
      level: 'error',
      confidence: 'high',
      path: 'src/config, prod.ts',
      startLine: 4,
      startColumn: 9,
      endLine: 4,
      endColumn: 44,
      secret: 'sk-ab…yz',
      fingerprint: 'f'.repeat(40),
      entropy: 3.9,
      message: 'Alibaba Cloud Model Studio API key, region Singapore',
      remediation: 'Rotate it: 100% compromised.',
      ...over,
    };
  }
  const result = (findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult => ({
    findings,
    errors: [],
    warnings: [],
    stats: { files: 2, bytes: 10, durationMs: 3 },
    ...extra,
  });

  it('writes one annotation per finding, error/warning/notice by level, on the exact span', () => {
    const out = formatGithub(
      result([finding({}), finding({ level: 'warning', path: 'b.py', message: 'Alibaba Cloud Model Studio API key (Model Studio or DeepSeek key)' }), finding({ level: 'note', path: 'c.json' })]),
      context,
    ).split('\n');
    expect(out[0]).toBe(
      '::error file=src/config%2C prod.ts,line=4,col=9,endLine=4,endColumn=44,title=Alibaba Cloud Model Studio API key%2C region Singapore::' +
        'sk-ab…yz: Alibaba Cloud Model Studio API key, region Singapore.%0ARotate it: 100%25 compromised. (alibaba-model-studio-api-key)',
    );
    expect(out.slice(1, 3).map((l) => l.split(' ')[0])).toEqual(['::warning', '::notice']);
    expect(out[3]).toMatch(/^3 findings \(1 error, 1 warning, 1 note\)/);
  });

  it('redacts a secret even under --show-secret and puts the commit in the message', () => {
    const key = gen.legacy();
    const [line] = formatGithub(
      result([finding({ secret: key, commit: { sha: 'c'.repeat(40), author: 'A', email: 'a@b', date: '2026-01-01', message: 'm' } })]),
      context,
    ).split('\n');
    expect(line).not.toContain(key);
    expect(line).toContain(`sk-${key.slice(3, 5)}…${key.slice(-2)}`);
    expect(line).toContain(`Committed in cccccccccccc by A on 2026-01-01.`);
  });

  it('reports unreadable files and warnings as annotations', () => {
    const out = formatGithub(result([], { errors: [{ path: 'x.env', message: 'EACCES: no' }], warnings: ['shallow: clone'] }), context);
    expect(out.split('\n').slice(0, 2)).toEqual([
      '::error file=x.env,title=ms-leakscan could not scan this file::EACCES: no',
      '::warning title=ms-leakscan::shallow: clone',
    ]);
  });

  it('is what the CLI prints for --format github', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-github-'));
    try {
      const key = gen.legacy();
      writeFileSync(path.join(dir, '.env'), `DASHSCOPE_API_KEY=${key}\n`);
      const outcome = await run(['scan', '.', '--format', 'github'], { cwd: dir });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout).toMatch(/^::error file=\.env,line=1,col=19,endLine=1,endColumn=54,title=Alibaba Cloud Model Studio API key::/);
      expect(outcome.stdout).not.toContain(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
