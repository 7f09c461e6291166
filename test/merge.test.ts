import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { run } from '../src/cli/run';
import { mergedSarifText, mergeSarif } from '../src/report/merge';
import { packageInfo } from '../src/version';
import { KeyGenerator } from './support/keys';
import { validateSarif } from './support/sarif-validator';

const gen = new KeyGenerator('merge-command');
let dir: string;

/** Two folders with keys (one key in both), scanned separately as a matrix would. */
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'msl-merge-'));
  const shared = gen.legacy();
  const files: Record<string, string> = {
    'one/a.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
    'one/z.py': `key = "${gen.signed()}"\n`,
    'two/b.env': `DASHSCOPE_API_KEY=${shared}\n`,
    'two/a.env': `# first line\nALIBABA_CODING_PLAN_API_KEY=${gen.planHex()}\n`,
    'both/c.env': `DASHSCOPE_API_KEY=${shared}\n`,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  for (const format of ['json', 'sarif']) {
    for (const [name, paths] of [['one', ['one', 'both']], ['two', ['two', 'both']]] as const) {
      const outcome = await run([...paths, '--no-config', '--format', format, '--output', `${name}.${format}`], { cwd: dir });
      expect(outcome.exitCode).toBe(1);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  writeFileSync(path.join(dir, name), text);
  return name;
};

describe('ms-leakscan merge', () => {
  it('JSON: one report, deduplicated (both/c.env once) and in scan order', async () => {
    const outcome = await run(['merge', 'two.json', 'one.json'], { cwd: dir });
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(1);
    const report = JSON.parse(outcome.stdout);
    expect(report.findings.map((f: { path: string; startLine: number }) => `${f.path}:${f.startLine}`)).toEqual([
      'both/c.env:1',
      'one/a.env:1',
      'one/z.py:1',
      'two/a.env:2',
      'two/b.env:1',
    ]);
    const one = JSON.parse(readFileSync(path.join(dir, 'one.json'), 'utf8'));
    const two = JSON.parse(readFileSync(path.join(dir, 'two.json'), 'utf8'));
    expect(report.stats.files).toBe(one.stats.files + two.stats.files);
    expect(report.tool).toEqual({ name: 'ms-leakscan', version: packageInfo().version });
  });

  it('merging a report with itself changes nothing', async () => {
    const once = await run(['merge', 'one.json'], { cwd: dir });
    const twice = await run(['merge', 'one.json', 'one.json'], { cwd: dir });
    expect(JSON.parse(twice.stdout).findings).toEqual(JSON.parse(once.stdout).findings);
    expect(JSON.parse(once.stdout).findings).toEqual(JSON.parse(readFileSync(path.join(dir, 'one.json'), 'utf8')).findings);
  });

  it('JSON reports written out as SARIF, --output: valid for GitHub and Microsoft\'s validator', async () => {
    const outcome = await run(['merge', 'one.json', 'two.json', '--format', 'sarif', '--output', 'from-json.sarif'], { cwd: dir });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^5 findings .*; report written to from-json.sarif\n$/);
    const verdict = validateSarif(path.join(dir, 'from-json.sarif'));
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
  });

  it('SARIF: one run, rules listed once with ruleIndex into them, results deduplicated and sorted, valid', async () => {
    const outcome = await run(['merge', 'two.sarif', 'one.sarif', '--output', 'merged.sarif'], { cwd: dir });
    expect(outcome.exitCode).toBe(1);
    const log = JSON.parse(readFileSync(path.join(dir, 'merged.sarif'), 'utf8')) as Log;
    expect(log.runs).toHaveLength(1);
    const run0 = log.runs[0];
    const rules = run0.tool.driver.rules ?? [];
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const result of run0.results ?? []) expect(rules[result.ruleIndex as number].id).toBe(result.ruleId);
    expect((run0.results ?? []).map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri)).toEqual([
      'both/c.env',
      'one/a.env',
      'one/z.py',
      'two/a.env',
      'two/b.env',
    ]);
    const verdict = validateSarif(path.join(dir, 'merged.sarif'));
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
  });

  it('SARIF merged past GitHub\'s limits keeps the most severe results and says how many it left out, still valid', () => {
    const logs = ['one.sarif', 'two.sarif'].map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Log);
    const merged = mergeSarif(logs);
    const all = merged.runs[0].results ?? [];
    expect(all).toHaveLength(5);
    // One result made a note: the cut must take the most severe, not the first ones.
    const weakest = all.findIndex((r) => r.level === 'error');
    all[weakest] = { ...all[weakest], level: 'note' };
    const text = mergedSarifText(merged, { maxResults: 4, maxGzipBytes: 10 * 1024 * 1024 });
    const fitted = JSON.parse(text) as Log;
    const results = fitted.runs[0].results ?? [];
    expect(results).toHaveLength(4);
    expect(results.map((r) => r.level)).not.toContain('note');
    const notes = (fitted.runs[0].invocations?.[0].toolExecutionNotifications ?? []).map((n) => n.message.text);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/^1 of 5 findings were left out to stay within GitHub's upload limits/)]));
    expect(mergedSarifText(merged)).toBe(`${JSON.stringify(merged, null, 2)}\n`); // within the limits: unchanged
    writeFileSync(path.join(dir, 'fitted.sarif'), text);
    const verdict = validateSarif(path.join(dir, 'fitted.sarif'));
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
  });

  it('a report written with --show-secret is redacted unless the merge asks for secrets too', async () => {
    await run(['one', '--no-config', '--format', 'json', '--show-secret', '--output', 'clear.json'], { cwd: dir });
    const clear = JSON.parse(readFileSync(path.join(dir, 'clear.json'), 'utf8'));
    const merged = JSON.parse((await run(['merge', 'clear.json'], { cwd: dir })).stdout);
    expect(merged.findings.map((f: { secret: string }) => f.secret)).not.toEqual(clear.findings.map((f: { secret: string }) => f.secret));
    for (const f of merged.findings) expect(f.secret).toContain('\u2026');
    const shown = JSON.parse((await run(['merge', 'clear.json', '--show-secret'], { cwd: dir })).stdout);
    expect(shown.findings).toEqual(clear.findings);
  });

  it('--format text shows the merged result, and its exit code follows --fail-level', async () => {
    const outcome = await run(['merge', 'one.json', 'two.json', '--format', 'text', '--fail-level', 'error'], { cwd: dir });
    expect(outcome.stdout).toMatch(/^both\/c\.env\n\s+1:19\s+error/);
    expect(outcome.stdout).toMatch(/\n5 findings \(5 errors, 0 warnings, 0 notes\), in 6 files/);
    expect(outcome.exitCode).toBe(1);
  });

  const other = JSON.stringify({ tool: { name: 'gitleaks', version: '8.0.0' }, findings: [] });
  const older = JSON.stringify({ tool: { name: 'ms-leakscan', version: '0.0.1' }, findings: [] });
  const edited = JSON.stringify({ tool: { name: 'ms-leakscan', version: packageInfo().version }, findings: [{ ruleId: 'x', path: 'a' }] });
  const sarifOther = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Semgrep\u001b[31m', version: '1' } }, results: [] }] });
  it.each([
    ['another tool', () => [file('gitleaks.json', other)], /gitleaks\.json was made by "gitleaks", not ms-leakscan — merge only reports ms-leakscan wrote/],
    ['another version', () => [file('older.json', older)], /older\.json was made by ms-leakscan "0\.0\.1", this is .* — rerun that scan with/],
    ['an edited finding', () => [file('edited.json', edited)], /edited\.json: finding 1 has no valid path|edited\.json: finding 1 has no valid secret/],
    ['another tool\'s SARIF (name escaped)', () => [file('semgrep.sarif', sarifOther)], /semgrep\.sarif was made by "Semgrep\\u001b\[31m", not ms-leakscan/],
    ['not JSON', () => [file('notes.txt', 'hello')], /notes\.txt is not JSON — pass reports written by ms-leakscan --format json or --format sarif/],
    ['JSON and SARIF together', () => ['one.json', 'one.sarif'], /one\.json is JSON but one\.sarif is SARIF — merge reports of one format/],
    ['SARIF to text', () => ['one.sarif', '--format', 'text'], /SARIF reports merge into SARIF only .* merge the JSON reports to get --format text/],
    ['a missing file', () => ['nowhere.json'], /cannot read report nowhere\.json: ENOENT — check the path/],
  ])('%s: one clear line, exit 2', async (_name, argv, message) => {
    const outcome = await run(['merge', ...argv()], { cwd: dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(outcome.stderr).not.toMatch(/\u001b/);
  });

  it('needs at least one report', async () => {
    const outcome = await run(['merge'], { cwd: dir });
    expect(outcome.exitCode).toBe(2);
  });
});
