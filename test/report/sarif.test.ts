import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { builtinRules } from '../../rules';
import { run } from '../../src/cli/run';
import { detectFragment } from '../../src/detect/detect';
import { buildSarif, FINGERPRINT_KEY, pathToUri } from '../../src/report/sarif';
import type { ReportContext } from '../../src/report/format';
import type { CommitInfo, Finding, ScanResult } from '../../src/types';
import { packageInfo } from '../../src/version';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { validateSarif } from '../support/sarif-validator';

const gen = new KeyGenerator('sarif-report');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-sarif-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const target = path.join(dir, file);
  writeFileSync(target, text);
  return target;
}

function context(source: string): ReportContext {
  return { toolName: 'ms-leakscan', toolVersion: packageInfo().version, color: false, source, failLevel: 'warning', rules: builtinRules };
}

function expectValid(file: string): void {
  const verdict = validateSarif(file);
  expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
}

describe('the validator helper', () => {
  it('reports the errors and warnings of a SARIF GitHub would reject', () => {
    const file = write('bad.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }));
    const verdict = validateSarif(file);
    expect(verdict.errors.map((e) => /error (\w+)/.exec(e)?.[1])).toEqual(['GH1013', 'GH1018']);
    expect(verdict.warnings.length).toBeGreaterThan(0);
  });
});

describe('pathToUri', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['./dir one/a#b.env', 'dir%20one/a%23b.env'],
    ['win\\path\\x.py', 'win/path/x.py'],
    ['100%/密钥.txt', '100%25/%E5%AF%86%E9%92%A5.txt'],
    ['a?b/c&d', 'a%3Fb/c%26d'],
  ])('%j → %j', (input, uri) => {
    expect(pathToUri(input)).toBe(uri);
  });
});

describe('--format sarif on a working-tree scan', () => {
  const legacy = gen.legacy();
  const signed = gen.signed();
  const temporary = gen.temporary();
  let log: Log;
  let text: string;

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'tree', 'dir one'), { recursive: true });
    writeFileSync(path.join(dir, 'tree', 'dir one', 'a#b.env'), `DASHSCOPE_API_KEY=${legacy}\nOPENAI_BASE_URL=https://dashscope-intl.aliyuncs.com/compatible-mode/v1\n`);
    writeFileSync(path.join(dir, 'tree', '密钥.py'), `# 通义\nclient = call(model="qwen-plus", key="${signed}")  # dashscope\n{"token":"${temporary}"}\n`);
    const output = path.join(dir, 'working-tree.sarif');
    // --show-secret must not put a secret in SARIF either.
    const outcome = await run(['scan', 'tree', '--format', 'sarif', '--output', output, '--show-secret'], { cwd: dir });
    expect(outcome.exitCode).toBe(1);
    text = readFileSync(output, 'utf8');
    log = JSON.parse(text) as Log;
  });

  it('passes the SARIF Multitool with the GitHub rules, without errors or warnings', () => {
    expectValid(path.join(dir, 'working-tree.sarif'));
  });

  it('never contains a secret, even with --show-secret', () => {
    for (const secret of [legacy, signed, temporary]) expect(text).not.toContain(secret);
  });

  it('lists every enabled rule with help, level, tags, precision and security-severity', () => {
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('ms-leakscan');
    expect(driver.semanticVersion).toBe(packageInfo().version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules?.map((r) => r.id)).toEqual(builtinRules.map((r) => r.id));
    for (const [i, rule] of builtinRules.entries()) {
      const d = driver.rules![i];
      expect(d.name).toBe(rule.name);
      expect(d.shortDescription?.text).toBe(`${rule.title}.`);
      expect(d.defaultConfiguration?.level).toBe(rule.defaultLevel);
      expect(d.properties).toEqual({ tags: [...rule.tags], precision: rule.precision, 'security-severity': rule.securitySeverity });
      expect(d.properties?.tags).toEqual(expect.arrayContaining(['security', 'secret']));
      expect(d.help?.text).toContain('does not revoke the key');
      expect(d.help?.markdown).toContain('**Removing the line is not enough.**');
    }
    expect(driver.rules![0].help?.text).toContain('Model Studio console for the region where the key was created');
  });

  it('reports each finding with its rule index, exact region, redacted snippet and secret-hash fingerprint', () => {
    const run0 = log.runs[0];
    expect(run0.columnKind).toBe('utf16CodeUnits');
    expect(run0.automationDetails?.id).toBe('ms-leakscan/working-tree/');
    expect(run0.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    const col = (file: string, secret: string): number => {
      const line = readFileSync(path.join(dir, 'tree', file), 'utf8').split('\n').find((l) => l.includes(secret))!;
      return line.indexOf(secret) + 1;
    };
    const rows = run0.results!.map((r) => {
      const loc = r.locations![0].physicalLocation!;
      return [r.ruleId, r.level, loc.artifactLocation!.uri, loc.region!.startLine, loc.region!.startColumn, loc.region!.endLine, loc.region!.endColumn, loc.region!.snippet!.text];
    });
    expect(rows).toEqual([
      ['alibaba-model-studio-api-key', 'error', 'tree/dir%20one/a%23b.env', 1, 19, 1, 19 + legacy.length, `sk-${legacy.slice(3, 5)}…${legacy.slice(-2)}`],
      ['alibaba-model-studio-signed-api-key', 'error', 'tree/%E5%AF%86%E9%92%A5.py', 2, 39, 2, 39 + signed.length, `sk-ws-H.…${signed.slice(-2)}`],
      ['alibaba-model-studio-temporary-api-key', 'note', 'tree/%E5%AF%86%E9%92%A5.py', 3, 11, 3, 11 + temporary.length, `st-${temporary.slice(3, 5)}…${temporary.slice(-2)}`],
    ]);
    // The region points at the key itself.
    expect(rows.map((r) => r[4])).toEqual([col('dir one/a#b.env', legacy), col('密钥.py', signed), col('密钥.py', temporary)]);
    for (const r of run0.results!) {
      expect(run0.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
      expect(Object.keys(r.partialFingerprints!)).toEqual([FINGERPRINT_KEY]);
      expect(r.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{40}$/);
      const title = builtinRules.find((rule) => rule.id === r.ruleId)!.title;
      expect(r.message.text!.startsWith(title)).toBe(true);
    }
    expect(run0.results![0].message.text).toMatch(/^Alibaba Cloud Model Studio API key, region Singapore\. Treat it as compromised/);
  });
});

describe('SARIF of history findings, errors and limits', () => {
  const commit: CommitInfo = { sha: 'a'.repeat(40), author: 'Dev One', email: 'dev@example.com', date: '2026-01-02T03:04:05Z', message: 'add config' };

  function findingsOf(text: string, file: string, withCommit?: CommitInfo): Finding[] {
    return detectFragment({ path: file, bytes: Buffer.from(text), ...(withCommit ? { commit: withCommit } : {}) }, builtinRules).findings;
  }

  function result(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
    return { findings, errors: [], warnings: [], stats: { files: 1, bytes: 100, durationMs: 1 }, ...extra };
  }

  it('puts the commit in properties, never in fingerprints, and uses the history category', () => {
    const key = gen.legacy();
    const findings = findingsOf(`DASHSCOPE_API_KEY=${key}\n`, 'config/.env', commit);
    const same = findingsOf(`\n\nDASHSCOPE_API_KEY=${key}\n`, 'moved/.env', { ...commit, sha: 'b'.repeat(40) });
    const file = write('history.sarif', buildSarif(result(findings), context('history')));
    expectValid(file);
    const log = JSON.parse(readFileSync(file, 'utf8')) as Log;
    const r = log.runs[0].results![0];
    expect(log.runs[0].automationDetails?.id).toBe('ms-leakscan/history/');
    expect(r.properties).toEqual({ confidence: 'high', commit: { sha: commit.sha, author: 'Dev One', date: commit.date } });
    expect(r.message.text).toContain(`Committed in ${commit.sha.slice(0, 12)} by Dev One on ${commit.date}.`);
    expect(JSON.stringify(r.partialFingerprints)).not.toContain('aaaaaaaa');
    // Same key elsewhere, at another commit: same fingerprint, so GitHub tracks one alert.
    expect(same[0].fingerprint).toBe(findings[0].fingerprint);
  });

  it.each([
    ['working-tree', 'ms-leakscan/working-tree/'],
    ['staged', 'ms-leakscan/staged/'],
    ['history', 'ms-leakscan/history/'],
    ['diff', 'ms-leakscan/diff/'],
  ])('category of a %s scan is %s', (source, id) => {
    const log = JSON.parse(buildSarif(result([]), context(source))) as Log;
    expect(log.runs[0].automationDetails?.id).toBe(id);
    expect(log.runs[0].results).toEqual([]);
  });

  it('reports scan errors and warnings as tool notifications and an unsuccessful execution', () => {
    const file = write(
      'errors.sarif',
      buildSarif(result([], { errors: [{ path: 'locked.env', message: 'EACCES: permission denied' }], warnings: ['the clone is shallow'] }), context('working-tree')),
    );
    expectValid(file);
    const invocation = (JSON.parse(readFileSync(file, 'utf8')) as Log).runs[0].invocations![0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications!.map((n) => [n.level, n.message.text])).toEqual([
      ['error', 'locked.env: EACCES: permission denied.'],
      ['warning', 'the clone is shallow.'],
    ]);
  });

  it('keeps the most severe findings within the result limit and says so', () => {
    const findings = [
      ...findingsOf(`{"token":"${gen.temporary()}"} dashscope\n`, 'a.json'),
      ...findingsOf(`api_key = "${gen.legacy()}"\n`, 'b.py'),
      ...findingsOf(`DASHSCOPE_API_KEY=${gen.legacy()}\n`, 'c.env'),
      ...findingsOf(`QWEN_API_KEY=${gen.signed()}\n`, 'd.env'),
    ];
    expect(findings.map((f) => f.level)).toEqual(['note', 'warning', 'error', 'error']);
    const file = write('limited.sarif', buildSarif(result(findings), context('working-tree'), { maxResults: 2, maxGzipBytes: 10 * 1024 * 1024 }));
    expectValid(file);
    const log = JSON.parse(readFileSync(file, 'utf8')) as Log;
    expect(log.runs[0].results!.map((r) => [r.level, r.locations![0].physicalLocation!.artifactLocation!.uri])).toEqual([
      ['error', 'c.env'],
      ['error', 'd.env'],
    ]);
    expect(log.runs[0].invocations![0].toolExecutionNotifications!.map((n) => n.message.text)).toEqual([
      expect.stringMatching(/^2 of 4 findings were left out to stay within GitHub's upload limits \(2 results, 10485760 bytes gzipped\); the 2 most severe/),
    ]);
  });

  it('drops findings until the gzipped log fits', () => {
    const findings = Array.from({ length: 40 }, (_, i) => findingsOf(`DASHSCOPE_API_KEY=${gen.legacy()}\n`, `f${i}.env`)[0]);
    const full = buildSarif(result(findings), context('working-tree'));
    const { gzipSync } = require('node:zlib') as typeof import('node:zlib');
    const limit = Math.floor(gzipSync(full).length * 0.8);
    const text = buildSarif(result(findings), context('working-tree'), { maxResults: 25_000, maxGzipBytes: limit });
    expect(gzipSync(text).length).toBeLessThanOrEqual(limit);
    const log = JSON.parse(text) as Log;
    const kept = log.runs[0].results!.length;
    expect(kept).toBeLessThan(40);
    expect(kept).toBeGreaterThan(0);
    expect(log.runs[0].invocations![0].toolExecutionNotifications![0].message.text).toMatch(new RegExp(`^${40 - kept} of 40 findings were left out`));
  });
});

describe('--format sarif on git scans', () => {
  let repo: TempRepo;
  let base: string;
  let head: string;
  const keys = { removed: gen.legacy(), added: gen.signed(), staged: gen.planHex() };

  beforeAll(() => {
    repo = new TempRepo();
    base = repo.write('README.md', '# app\n').commit('init');
    repo.write('config/.env', `DASHSCOPE_API_KEY=${keys.removed}\n`).commit('add key');
    repo.remove('config/.env').commit('remove key');
    head = repo.write('src/client.py', `# dashscope-intl.aliyuncs.com\nkey = "${keys.added}"\n`).commit('client');
    repo.write('plan.env', `ALIBABA_CODING_PLAN_API_KEY=${keys.staged}\n`).git('add', 'plan.env');
  });
  afterAll(() => repo.cleanup());

  it.each([
    ['history', ['history'], ['config/.env', 'src/client.py']],
    // diff scans every commit of the range: the key added and removed inside it is reported at its commit.
    ['diff', () => ['diff', '--base', base, '--head', head], ['config/.env', 'src/client.py']],
    ['staged', ['staged'], ['plan.env']],
  ] as const)('%s: valid for GitHub, with commits in properties and its own category', async (source, argv, uris) => {
    const output = path.join(repo.dir, '..', `${path.basename(repo.dir)}-${source}.sarif`);
    try {
      const args = typeof argv === 'function' ? argv() : [...argv];
      const outcome = await run([...args, '--format', 'sarif', '--output', output], { cwd: repo.dir });
      expect(outcome.exitCode).toBe(1);
      expectValid(output);
      const text = readFileSync(output, 'utf8');
      for (const key of Object.values(keys)) expect(text).not.toContain(key);
      const log = JSON.parse(text) as Log;
      expect(log.runs[0].automationDetails?.id).toBe(`ms-leakscan/${source}/`);
      const results = log.runs[0].results!;
      expect(results.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri)).toEqual(uris);
      for (const r of results) {
        const commit = (r.properties as { commit?: { sha: string } }).commit;
        if (source === 'staged') expect(commit).toBeUndefined();
        else expect(commit?.sha).toMatch(/^[0-9a-f]{40}$/);
        expect(Object.values(r.partialFingerprints!).join()).not.toContain(commit?.sha ?? '-');
      }
    } finally {
      rmSync(output, { force: true });
    }
  });
});
