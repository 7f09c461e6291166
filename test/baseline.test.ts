import { readFileSync } from 'node:fs';
import { builtinRules } from '../rules';
import { applyBaseline, BASELINE_HEADER, formatBaseline, parseBaseline } from '../src/config/baseline';
import { detectFragment } from '../src/detect/detect';
import { redactSecret } from '../src/detect/redact';
import { TempWorld } from './support/config-world';
import { KeyGenerator } from './support/keys';
import type { Finding } from '../src/types';

const gen = new KeyGenerator('baseline');

/** A finding as the JSON report writes it. */
type JsonFinding = Finding;
const where = (findings: JsonFinding[]): string[] => findings.map((f) => `${f.path}:${f.startLine}`);

describe('baseline', () => {
  let world: TempWorld;
  const keys = { a: gen.legacy(), b: gen.signed(), c: gen.accessKeyId(), fresh: gen.legacy() };

  beforeEach(() => {
    world = new TempWorld().initGit();
    world.write({
      'app/config.py': `import os\nDASHSCOPE_API_KEY = "${keys.a}"\n`,
      'deploy/.env': `ALIBABA_CLOUD_ACCESS_KEY_ID=${keys.c}\nDASHSCOPE_API_KEY=${keys.b}\n`,
      'docs/setup.md': `Use \`DASHSCOPE_API_KEY=${keys.a}\` (same key, second place)\n`,
    });
    world.commitAll('keys');
  });
  afterEach(() => world.cleanup());

  const baselineText = (): string => readFileSync(world.path('.ms-leakscan-baseline'), 'utf8');

  it('holds a constant header and one sorted "<rule> <fingerprint>" line per distinct secret, nothing else', async () => {
    const outcome = await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    expect(outcome).toEqual({ exitCode: 0, stdout: '', stderr: 'baseline .ms-leakscan-baseline: 3 entries for 4 finding(s) from the working-tree\n' });
    const text = baselineText();
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe(BASELINE_HEADER);
    expect(lines).toHaveLength(3);
    expect(lines).toEqual([...lines].sort());
    for (const line of lines) expect(line).toMatch(/^[a-z-]+ [0-9a-f]{40}$/);
    expect(text.endsWith('\n')).toBe(true);
    // No secret, whole or redacted, and no path or line number.
    for (const secret of Object.values(keys)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(redactSecret(secret));
      expect(text).not.toContain(secret.slice(-12));
    }
    expect(text).not.toMatch(/config\.py|\.env|setup\.md|:\d/);
    // Without --output the baseline goes to standard output, byte for byte the same.
    expect((await world.run(['baseline'])).stdout).toBe(text);
  });

  it('keeps matching after lines move and a file is renamed; a new key next to a baselined one is reported alone', async () => {
    await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    const recorded = baselineText();
    // Lines above every key, and a rename.
    world.write({
      'app/config.py': `import os\nimport sys\n\n# settings\nDASHSCOPE_API_KEY = "${keys.a}"\n`,
      'deploy/.env': `# deploy\n\nALIBABA_CLOUD_ACCESS_KEY_ID=${keys.c}\n\nDASHSCOPE_API_KEY=${keys.b}\n`,
    });
    world.git('mv', 'docs/setup.md', 'docs/getting-started.md');
    world.commitAll('move lines, rename');

    const clean = await world.json(['.', '--baseline', '.ms-leakscan-baseline']);
    expect(clean.exitCode).toBe(0);
    expect(clean.report.findings).toEqual([]);
    expect(clean.report.stats).toMatchObject({ suppressed: 4, baselined: 4 });

    // Regenerating after the moves changes nothing.
    await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    expect(baselineText()).toBe(recorded);

    // One new key on the line next to a baselined one.
    world.write({ 'app/config.py': `import os\nimport sys\n\n# settings\nDASHSCOPE_API_KEY = "${keys.a}"\nDASHSCOPE_API_KEY_2 = "${keys.fresh}"\n` });
    const dirty = await world.json(['.', '--baseline', '.ms-leakscan-baseline', '--show-secret']);
    expect(dirty.exitCode).toBe(1);
    expect(dirty.report.findings.map((f: JsonFinding) => [f.path, f.startLine, f.secret])).toEqual([['app/config.py', 6, keys.fresh]]);
  });

  it('entries match a secret wherever it is: fingerprints ignore path, line and commit (rewritten history keeps them)', () => {
    const secret = gen.legacy();
    const commit = (sha: string) => ({ sha, author: 'A', email: 'a@example.invalid', date: '2026-01-01T00:00:00Z', message: 'm' });
    const fragments = [
      { path: 'a.env', bytes: Buffer.from(`DASHSCOPE_API_KEY=${secret}\n`) },
      { path: 'renamed/b.env', bytes: Buffer.from(`\n\n\nDASHSCOPE_API_KEY=${secret}\n`), firstLine: 40, commit: commit('1'.repeat(40)) },
      { path: 'a.env', bytes: Buffer.from(`x = 1; DASHSCOPE_API_KEY=${secret}\n`), commit: commit('2'.repeat(40)) },
    ];
    const findings = fragments.flatMap((fragment) => detectFragment(fragment, builtinRules).findings);
    expect(findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn}`)).toEqual(['a.env:1:19', 'renamed/b.env:43:19', 'a.env:1:26']);
    const baseline = parseBaseline(formatBaseline(findings.slice(0, 1)), 'b');
    const result = applyBaseline({ findings, errors: [], warnings: [], stats: { files: 3, bytes: 0, durationMs: 0 } }, baseline, true);
    expect(result.findings).toEqual([]);
    expect(result.stats).toMatchObject({ suppressed: 3, baselined: 3 });
    expect(result.unusedBaseline).toEqual([]);
  });

  it('--report-unused lists entries that match nothing, in text and JSON, without failing', async () => {
    await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    const entries = parseBaseline(baselineText(), 'b');
    world.write({ 'deploy/.env': `DASHSCOPE_API_KEY=${keys.b}\n` }); // the AccessKey ID is gone
    const { report, exitCode } = await world.json(['.', '--baseline', '.ms-leakscan-baseline', '--report-unused']);
    expect(exitCode).toBe(0);
    const unused = entries.filter((e) => e.ruleId === 'alibaba-cloud-access-key-id');
    expect(report.unusedBaseline).toEqual(unused);
    const text = await world.run(['.', '--baseline', '.ms-leakscan-baseline', '--report-unused', '--no-color']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`Unused baseline entries (they match nothing now; remove these lines from the baseline)\n  ${unused[0].ruleId} ${unused[0].fingerprint}\n`);
    expect(text.stdout).toMatch(/, 3 suppressed \(3 by the baseline\), 1 unused baseline entry, \d+ ms\n$/);
    // Without the flag, no list.
    expect((await world.json(['.', '--baseline', '.ms-leakscan-baseline'])).report.unusedBaseline).toBeUndefined();
  });

  it('is applied when the config names it, with a Windows-style path and CRLF line ends', async () => {
    const text = (await world.run(['baseline'])).stdout;
    // Written on Windows: CRLF line ends, a backslash in the path.
    world.write({ 'ci/known-keys.txt': text.replace(/\n/g, '\r\n'), '.ms-leakscan.json': '{ "baseline": "ci\\\\known-keys.txt" }' });
    const { report, exitCode } = await world.json(['.']);
    expect(exitCode).toBe(0);
    expect(report.stats.baselined).toBe(4);
  });

  it('is not applied by the baseline command itself, which records every current finding', async () => {
    await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    const recorded = baselineText();
    world.write({ '.ms-leakscan.json': '{ "baseline": ".ms-leakscan-baseline" }' });
    await world.run(['baseline', '--output', '.ms-leakscan-baseline']);
    expect(baselineText()).toBe(recorded);
  });

  it('honours the config and inline allows when recording', async () => {
    world.write({ '.ms-leakscan.json': '{ "allowPaths": ["deploy/**"] }', 'docs/setup.md': `DASHSCOPE_API_KEY=${keys.fresh} <!-- ms-leakscan:allow -->\n` });
    const outcome = await world.run(['baseline']);
    expect(outcome.stdout.trimEnd().split('\n')).toHaveLength(2); // header + keys.a
  });
});

describe('baseline of git sources', () => {
  let world: TempWorld;
  const leaked = gen.legacy();
  const staged = gen.signed();
  const fresh = gen.legacy();

  beforeEach(() => {
    world = new TempWorld().initGit();
    world.write({ 'a.py': `DASHSCOPE_API_KEY = "${leaked}"\n` }).commitAll('add key');
    world.write({ 'a.py': 'import os\nDASHSCOPE_API_KEY = os.environ["DASHSCOPE_API_KEY"]\n' }).commitAll('remove key');
  });
  afterEach(() => world.cleanup());

  it('--source history records keys that only the history holds, and history scans honour it after a rewrite', async () => {
    expect((await world.run(['baseline'])).stdout.trimEnd().split('\n')).toHaveLength(1); // the working tree is clean
    const recorded = await world.run(['baseline', '--source', 'history', '--output', 'known.txt']);
    expect(recorded).toMatchObject({ exitCode: 0, stderr: 'baseline known.txt: 1 entry for 1 finding(s) from the history\n' });
    expect((await world.json(['history'])).exitCode).toBe(1);
    expect((await world.json(['history', '--baseline', 'known.txt'])).exitCode).toBe(0);

    // Rewrite history: squash both commits into a new root commit with another message and author date.
    const before = world.git('rev-list', '--all').trim();
    world.git('reset', '-q', '--soft', `${world.git('rev-list', '--max-parents=0', 'HEAD').trim()}`);
    world.git('commit', '-q', '--amend', '-m', 'rewritten', '--date', '2001-01-01T00:00:00');
    world.write({ 'b.py': `DASHSCOPE_API_KEY = "${leaked}"\n` }).commitAll('the same key, new file, new commit');
    world.git('reflog', 'expire', '--expire=now', '--all');
    world.git('gc', '-q', '--prune=now');
    expect(world.git('rev-list', '--all').trim()).not.toContain(before.split('\n')[0]);
    const after = await world.json(['history', '--baseline', 'known.txt']);
    expect(after.report.findings).toEqual([]);
    expect(after.exitCode).toBe(0);
    expect(after.report.stats.baselined).toBeGreaterThan(0);
  });

  it('applies to staged scans: a staged baselined key passes, a new one blocks', async () => {
    world.write({ 'c.env': `DASHSCOPE_API_KEY=${staged}\n` });
    world.git('add', 'c.env');
    await world.run(['baseline', '--source', 'staged', '--output', 'known.txt']);
    expect((await world.json(['staged', '--baseline', 'known.txt'])).exitCode).toBe(0);
    world.write({ 'd.env': `DASHSCOPE_API_KEY=${fresh}\n` });
    world.git('add', 'd.env');
    const blocked = await world.json(['staged', '--baseline', 'known.txt']);
    expect(blocked.exitCode).toBe(1);
    expect(where(blocked.report.findings)).toEqual(['d.env:1']);
  });
});
