import path from 'node:path';
import type { Log, Result } from 'sarif';
import type { Verification } from '../types';
import { describeVerification } from '../verify/describe';

/** A SARIF result as the action shows it: an annotation and a row of the job summary. */
export interface ShownFinding {
  level: 'error' | 'warning' | 'notice';
  /** Relative to the workspace, forward slashes (what annotations need). */
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** The message's first sentence: the alert title. */
  title: string;
  message: string;
  ruleId: string;
  /** Redacted key. */
  snippet: string;
  commit?: string;
  /** With the verify input: the key's verification, as the SARIF result's `verification` property holds it. */
  verification?: Verification;
  /** A later commit removed the key: file and line are in `commit`, not in the head. */
  notInHead?: boolean;
  /** The key is in the message of `commit`: no file (`file` is empty), the line is the message's. */
  commitMessage?: boolean;
}

const LEVELS = { error: 'error', warning: 'warning', note: 'notice', none: 'notice' } as const;

/** First sentence of a SARIF message (ours always starts with the alert title and a full stop). */
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Reads the findings back from the SARIF the scan wrote, so the scan runs once. `scanDir` is the folder the URIs
 * are relative to; `workspace` the one annotations are relative to.
 */
export function findingsFromSarif(log: Log, scanDir: string, workspace: string): ShownFinding[] {
  const results: Result[] = log.runs.flatMap((run) => run.results ?? []);
  return results.map((r) => {
    const location = r.locations?.[0]?.physicalLocation;
    const region = location?.region ?? {};
    const uri = decodeURIComponent(location?.artifactLocation?.uri ?? '');
    // A key in a commit message: its region is the message's, its path stands in for the message (no file).
    const commitMessage = r.properties?.commitMessage === true;
    const file = commitMessage ? '' : path.relative(workspace, path.resolve(scanDir, uri)).split(path.sep).join('/');
    const text = r.message.text ?? '';
    const commit = (r.properties?.commit as { sha?: string } | undefined)?.sha;
    const verification = r.properties?.verification as Verification | undefined;
    const notInHead = r.properties?.notInHead === true;
    return {
      level: LEVELS[r.level ?? 'warning'],
      file,
      startLine: region.startLine ?? 1,
      startColumn: region.startColumn ?? 1,
      endLine: region.endLine ?? region.startLine ?? 1,
      endColumn: region.endColumn ?? region.startColumn ?? 1,
      title: firstSentence(text),
      message: text,
      ruleId: r.ruleId ?? '',
      snippet: region.snippet?.text ?? '',
      ...(commit ? { commit } : {}),
      ...(verification ? { verification } : {}),
      ...(notInHead ? { notInHead } : {}),
      ...(commitMessage ? { commitMessage } : {}),
    };
  });
}

/** The scan's own warnings (a shallow clone, files too large, a change to the policy), in the order reported. */
export function warningsFromSarif(log: Log): string[] {
  return log.runs.flatMap((run) =>
    (run.invocations ?? []).flatMap((invocation) =>
      (invocation.toolExecutionNotifications ?? []).filter((n) => n.level === 'warning' && !n.locations?.length).map((n) => n.message.text ?? ''),
    ),
  );
}

/** Text for a Markdown table cell: no pipes, newlines or HTML. */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

const ICON = { error: 'error', warning: 'warning', notice: 'note' } as const;

/** The job summary: what was scanned, the verdict, and a table of findings (capped; the SARIF has them all). */
export function summaryMarkdown(findings: readonly ShownFinding[], scanned: string, verdict: string, notes: readonly string[] = [], maxRows = 100): string {
  const out = ['## ms-leakscan', '', `Scanned: ${cell(scanned)}`, '', `**${cell(verdict)}**`, ''];
  for (const note of notes) out.push(`> ${cell(note)}`, '');
  if (findings.length) {
    // The Verified column appears only when the scan verified keys (the action's verify input).
    const verified = findings.some((f) => f.verification);
    out.push(
      `| Level | File | Line | Key | Finding | Commit |${verified ? ' Verified |' : ''}`,
      `| --- | --- | ---: | --- | --- | --- |${verified ? ' --- |' : ''}`,
    );
    for (const f of findings.slice(0, maxRows)) {
      const verification = verified ? ` ${f.verification ? cell(describeVerification(f.verification)) : ''} |` : '';
      out.push(
        `| ${ICON[f.level]} | ${f.commitMessage ? 'commit message' : `\`${cell(f.file)}\``}${f.notInHead ? ' (removed by a later commit)' : ''} | ${f.startLine} | \`${cell(f.snippet)}\` | ${cell(f.title)} (${cell(f.ruleId)}) | ${f.commit ? `\`${f.commit.slice(0, 12)}\`` : ''} |${verification}`,
      );
    }
    if (findings.length > maxRows) out.push('', `… and ${findings.length - maxRows} more in the SARIF file.`);
    out.push('', 'Each key above is compromised once pushed: rotate it in its console first (see the annotation), then remove it from the code.');
  }
  return `${out.join('\n')}\n`;
}
