import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinRules } from '../../rules';
import { fitProgress } from '../../src/cli/progress';
import { run } from '../../src/cli/run';
import { wrapLine } from '../../src/report/format';
import { formatText, HISTORY_HINT } from '../../src/report/text';
import type { Finding, ScanResult } from '../../src/types';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('text-report');
const modelStudio = builtinRules.find((r) => r.id === 'alibaba-model-studio-api-key')!;

/** A finding as detection makes it, for the reporter alone (the secret is already redacted). */
function finding(line: number, region: string | undefined, name: string | undefined): Finding {
  return {
    ruleId: modelStudio.id,
    level: 'error',
    confidence: 'high',
    path: 'config/app.env',
    startLine: line,
    startColumn: 19,
    endLine: line,
    endColumn: 54,
    secret: 'sk-a0…c3',
    fingerprint: `fp${line}`,
    entropy: 4,
    ...(region ? { region } : {}),
    message: `${modelStudio.title}${name ? `, region ${name}` : ''}`,
    remediation: modelStudio.remediation.replace('{region}', name ?? 'the region where it was created'),
  };
}

const result = (findings: Finding[]): ScanResult => ({ findings, errors: [], warnings: [], stats: { files: 1, bytes: 100, durationMs: 3 } });
const context = { toolName: 'ms-leakscan', toolVersion: '0', color: false, source: 'working-tree', failLevel: 'warning' as const, rules: builtinRules };

describe('wrapLine', () => {
  const words = 'Rotate it now: in the Model Studio console for China (Beijing), open the API Key page and reset or delete this key';
  it.each([40, 60, 80])('keeps every line within %i columns, breaks only at spaces, and indents continuations', (width) => {
    const lines = wrapLine(`  [fix 1] ${words}`, width, 10).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {10}\S/);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(`[fix 1] ${words}`);
  });

  it('never cuts a word longer than the line (a path stays copyable), and ignores colour codes when measuring', () => {
    const long = `error: ${'a/'.repeat(50)}file.env: unreadable`;
    expect(wrapLine(long, 40, 2).split('\n')).toEqual(['error:', `  ${'a/'.repeat(50)}file.env:`, '  unreadable']);
    const coloured = `\u001b[31m${'x'.repeat(30)}\u001b[0m ${'y'.repeat(9)}`;
    expect(wrapLine(coloured, 40, 2)).toBe(coloured);
  });
});

describe('text report', () => {
  it('merges remediation paragraphs that differ only by region, naming the regions', () => {
    const text = formatText(result([finding(1, 'cn-beijing', 'China (Beijing)'), finding(2, 'ap-southeast-1', 'Singapore'), finding(3, 'cn-beijing', 'China (Beijing)')]), { ...context, width: 1000 });
    const fixes = text.split('\n').filter((l) => l.includes('[fix '));
    expect(fixes.filter((l) => l.startsWith('  [fix'))).toEqual([
      `  [fix 1] (China (Beijing), Singapore) ${modelStudio.remediation.replace('{region}', "the key's region")}`,
    ]);
    expect(fixes.filter((l) => !l.startsWith('  [fix')).every((l) => l.endsWith('[fix 1]'))).toBe(true);
  });

  it('keeps one region\'s paragraph as it is, and a different text as its own paragraph', () => {
    const text = formatText(result([finding(1, 'cn-beijing', 'China (Beijing)'), finding(2, undefined, undefined)]), { ...context, width: 1000 });
    expect(text).toContain(`  [fix 1] ${modelStudio.remediation.replace('{region}', 'China (Beijing)')}\n`);
    expect(text).toContain(`  [fix 2] ${modelStudio.remediation.replace('{region}', 'the region where it was created')}\n`);
  });

  it.each([50, 80, 120])('wraps to %i columns, all but the one summary line', (width) => {
    const text = formatText(result([finding(1, 'cn-beijing', 'China (Beijing)')]), { ...context, width });
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^1 finding \(1 error, 0 warnings, 0 notes\), in 1 file \(100 B\), 3 ms$/);
    for (const line of lines.slice(0, -1)) expect(line.length).toBeLessThanOrEqual(width);
    expect(text).toMatch(/\n {10}\S/); // the fix paragraph's continuation, under its text
  });

  it('suggests history only after a clean scan, when asked', () => {
    expect(formatText(result([]), { ...context, suggestHistory: true })).toContain(HISTORY_HINT.slice(0, 40));
    expect(formatText(result([]), context)).not.toContain('ms-leakscan history');
    expect(formatText(result([finding(1, undefined, undefined)]), { ...context, suggestHistory: true })).not.toContain('ms-leakscan history');
  });
});

describe('the CLI wraps to the terminal and suggests history after a clean scan of a git work tree', () => {
  let r: TempRepo;
  let plain: string;
  beforeAll(() => {
    r = new TempRepo();
    r.write('clean.txt', 'nothing here\n').commit('base');
    r.write('app.env', `DASHSCOPE_BASE_URL=https://dashscope.aliyuncs.com\nDASHSCOPE_API_KEY=${gen.legacy()}\n`);
    plain = mkdtempSync(path.join(os.tmpdir(), 'msl-plain-'));
    writeFileSync(path.join(plain, 'clean.txt'), 'nothing here\n');
  });
  afterAll(() => {
    r.cleanup();
    rmSync(plain, { recursive: true, force: true });
  });

  it('a terminal of 60 columns gets lines of at most 60; not a terminal gets 80', async () => {
    const narrow = await run(['scan', '--no-color', 'app.env'], { cwd: r.dir, stdoutIsTTY: true, columns: 60 });
    expect(narrow.exitCode).toBe(1);
    const body = (stdout: string): string[] => stdout.trimEnd().split('\n').slice(0, -1); // all but the summary
    for (const line of body(narrow.stdout)) expect(line.length).toBeLessThanOrEqual(60);
    const piped = await run(['scan', 'app.env'], { cwd: r.dir, columns: 60 });
    expect(Math.max(...body(piped.stdout).map((l) => l.length))).toBeGreaterThan(60);
    for (const line of body(piped.stdout)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('ends a clean scan in a git work tree with the history hint, and not outside git or with findings', async () => {
    const clean = await run(['scan', 'clean.txt'], { cwd: r.dir, columns: 1000, stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    expect(clean.stdout.trimEnd().split('\n').at(-2)).toBe(HISTORY_HINT);
    expect((await run(['scan', 'app.env'], { cwd: r.dir })).stdout).not.toContain('ms-leakscan history');
    expect((await run(['scan', '.'], { cwd: plain })).stdout).not.toContain('ms-leakscan history');
    expect((await run(['scan', '-q', 'clean.txt'], { cwd: r.dir })).stdout).toBe('');
  });
});

describe('progress line', () => {
  const parts = ['12345 commits (listing)', '2000/90000 blobs', '3.4 MB/s', '123 s left'];
  it.each([20, 40, 60, 80, 200])('fits within %i columns, less one (so the cursor never wraps)', (columns) => {
    expect(fitProgress(parts, columns).length).toBeLessThanOrEqual(columns - 1);
  });
  it('drops parts from the end first', () => {
    expect(fitProgress(parts, 200)).toBe('ms-leakscan history: 12345 commits (listing), 2000/90000 blobs, 3.4 MB/s, 123 s left');
    expect(fitProgress(parts, 70)).toBe('ms-leakscan history: 12345 commits (listing), 2000/90000 blobs');
    expect(fitProgress(parts, 20)).toBe('history: 12345 comm');
  });
});
