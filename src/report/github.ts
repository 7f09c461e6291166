import type { Finding, Level, ScanResult } from '../types';
import { verificationSentence } from '../verify/describe';
import { redactedForm, summaryLine, type ReportContext } from './format';
import { escapeControl } from './scrub';

/**
 * Workflow-command escaping, as the runner decodes it: data escapes `%`, CR and LF; property values also `:`
 * and `,`, which would otherwise end the value.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const ANNOTATION_COMMAND: Record<Level, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', note: 'notice' };

/** One workflow command: `::name key=value,…::message`. */
export function workflowCommand(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** Title and text of a finding's annotation; the secret appears only redacted. */
export function annotationOf(finding: Finding): { title: string; message: string } {
  const verified = finding.verification ? ` ${verificationSentence(finding.verification)}` : '';
  const sha = finding.commit?.sha.slice(0, 12);
  const commit = finding.commit ? ` Committed in ${sha} by ${escapeControl(finding.commit.author)} on ${escapeControl(finding.commit.date)}.` : '';
  const inMessage = finding.commitMessage ? ` It is in the message of commit ${sha} (line ${finding.startLine}), which stays public with the commit.` : '';
  const gone = finding.notInHead ? ` A later commit removed it: it is in ${escapeControl(finding.path)} line ${finding.startLine} of commit ${sha}, not in the head, and stays public there.` : '';
  return {
    title: escapeControl(finding.message),
    message: `${redactedForm(finding.secret)}: ${finding.message}.${verified}${commit}${inMessage}${gone}\n${finding.remediation} (${finding.ruleId})`,
  };
}

/**
 * `--format github`: one annotation per finding (error, warning or notice by level) on the exact span, so findings
 * show on a pull request's diff even without code scanning; scan errors and warnings as annotations without a
 * line; then the summary line as plain log text.
 */
export function formatGithub(result: ScanResult, _context: ReportContext): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const { title, message } = annotationOf(f);
    out.push(
      workflowCommand(
        ANNOTATION_COMMAND[f.level],
        // A key no longer in the head, or in a commit message, has no line of the head's files to show: the
        // annotation names the commit instead.
        f.notInHead || f.commitMessage ? { title } : { file: f.path, line: f.startLine, col: f.startColumn, endLine: f.endLine, endColumn: f.endColumn, title },
        message,
      ),
    );
  }
  for (const e of result.errors) out.push(workflowCommand('error', { file: e.path, title: 'ms-leakscan could not scan this file' }, escapeControl(e.message)));
  for (const w of result.warnings) out.push(workflowCommand('warning', { title: 'ms-leakscan' }, escapeControl(w)));
  out.push(summaryLine(result));
  return `${out.join('\n')}\n`;
}
