import type { Log } from 'sarif';
import { builtinRules } from '../../rules';
import { findingsFromSarif, summaryMarkdown } from '../../src/action/summary';
import { buildSarif } from '../../src/report/sarif';
import type { Finding, ScanResult } from '../../src/types';

function finding(extra: Partial<Finding>): Finding {
  return {
    ruleId: 'alibaba-model-studio-api-key',
    level: 'error',
    confidence: 'high',
    path: 'app/.env',
    startLine: 3,
    startColumn: 19,
    endLine: 3,
    endColumn: 54,
    secret: 'sk-ab\u2026cd',
    fingerprint: 'f'.repeat(40),
    entropy: 3.8,
    message: 'Alibaba Cloud Model Studio API key',
    remediation: 'Rotate it.',
    ...extra,
  };
}

function summaryOf(findings: Finding[]): string {
  const result: ScanResult = { findings, errors: [], warnings: [], stats: { files: 1, bytes: 10, durationMs: 1 } };
  const sarif = buildSarif(result, { toolName: 'ms-leakscan', toolVersion: '0.0.0', color: false, source: 'diff', failLevel: 'warning', rules: builtinRules });
  const shown = findingsFromSarif(JSON.parse(sarif) as Log, '/w', '/w');
  return summaryMarkdown(shown, 'the pull request', 'verdict');
}

describe('job summary', () => {
  it('has a Verified column when the scan verified keys, and keeps the alert title', () => {
    const md = summaryOf([
      finding({ verification: { status: 'live', region: 'ap-southeast-1' } }),
      finding({ startLine: 4, fingerprint: 'e'.repeat(40), verification: { status: 'skipped', reason: 'temporary key: short-lived, never sent' } }),
    ]);
    expect(md).toContain('| Level | File | Line | Key | Finding | Commit | Verified |');
    expect(md).toContain('| Alibaba Cloud Model Studio API key (alibaba-model-studio-api-key) |  | verified live in Singapore |');
    expect(md).toContain('| not verified: temporary key: short-lived, never sent |');
  });

  it('has no Verified column otherwise', () => {
    expect(summaryOf([finding({})])).toContain('| Level | File | Line | Key | Finding | Commit |\n');
  });

  it('shows a key in a commit message at the commit, with its line in the message, never a file', () => {
    const sha = 'c'.repeat(40);
    const commit = { sha, author: 'Ada', email: 'ada@example.test', date: '2026-01-01T00:00:00Z', message: 'subject' };
    const md = summaryOf([finding({ path: '', commitMessage: true, commit, startLine: 4, endLine: 4 })]);
    expect(md).toContain('| error | commit message | 4 | `sk-ab\u2026cd` | Alibaba Cloud Model Studio API key (alibaba-model-studio-api-key) | `cccccccccccc` |');
  });
});
