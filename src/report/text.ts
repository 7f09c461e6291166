import type { Finding, ScanResult } from '../types';
import { describeVerification } from '../verify/describe';
import { summaryLine, type ReportContext } from './format';
import { escapeControl as e } from './scrub';

const STYLES = { red: '31', yellow: '33', cyan: '36', dim: '2', bold: '1', underline: '4' } as const;

function paint(on: boolean, style: keyof typeof STYLES, text: string): string {
  return on ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
}

const LEVEL_STYLE = { error: 'red', warning: 'yellow', note: 'cyan' } as const;

/**
 * Human report: findings grouped by file (`line:col  level  key  what  rule`), then each distinct fix once,
 * errors, warnings and one summary line.
 */
export function formatText(result: ScanResult, context: ReportContext): string {
  const out: string[] = [];
  const byPath = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = f.commit ? `${e(f.path)} @ ${f.commit.sha.slice(0, 12)}` : e(f.path);
    byPath.set(key, [...(byPath.get(key) ?? []), f]);
  }
  const fixes: string[] = [];
  for (const [where, findings] of byPath) {
    out.push(paint(context.color, 'underline', where));
    const commit = findings[0].commit;
    if (commit) out.push(paint(context.color, 'dim', `  commit ${commit.sha.slice(0, 12)} by ${e(commit.author)} <${e(commit.email)}> on ${e(commit.date)}: ${e(commit.message)}`));
    for (const f of findings) {
      let fix = fixes.indexOf(f.remediation);
      if (fix < 0) fix = fixes.push(f.remediation) - 1;
      const position = `${f.startLine}:${f.startColumn}`.padEnd(9);
      const level = paint(context.color, LEVEL_STYLE[f.level], f.level.padEnd(7));
      const verified = f.verification ? `  ${paint(context.color, f.verification.status === 'live' ? 'red' : 'dim', `[${e(describeVerification(f.verification))}]`)}` : '';
      out.push(`  ${position} ${level} ${paint(context.color, 'bold', e(f.secret))}  ${e(f.message)}${verified}  ${paint(context.color, 'dim', `${f.ruleId} [fix ${fix + 1}]`)}`);
    }
    out.push('');
  }
  if (fixes.length) {
    out.push(paint(context.color, 'bold', 'What to do'));
    fixes.forEach((fix, i) => out.push(`  [fix ${i + 1}] ${e(fix)}`));
    out.push('');
  }
  if (result.unusedBaseline?.length) {
    out.push(paint(context.color, 'bold', 'Unused baseline entries (they match nothing now; remove these lines from the baseline)'));
    for (const e of result.unusedBaseline) out.push(`  ${e.ruleId} ${e.fingerprint}`);
    out.push('');
  }
  for (const error of result.errors) out.push(paint(context.color, 'red', `error: ${e(error.path)}: ${e(error.message)}`));
  for (const w of result.warnings) out.push(paint(context.color, 'yellow', `warning: ${e(w)}`));
  if (context.quiet) while (out.at(-1) === '') out.pop();
  else out.push(summaryLine(result));
  return out.length ? `${out.join('\n')}\n` : '';
}
