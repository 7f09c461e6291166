import { regionName } from '../detect/regions';
import type { Finding, Rule, ScanResult } from '../types';
import { describeVerification } from '../verify/describe';
import { DEFAULT_WIDTH, summaryLine, wrapLine, type ReportContext } from './format';
import { escapeControl as e } from './scrub';

const STYLES = { red: '31', yellow: '33', cyan: '36', dim: '2', bold: '1', underline: '4' } as const;

function paint(on: boolean, style: keyof typeof STYLES, text: string): string {
  return on ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
}

const LEVEL_STYLE = { error: 'red', warning: 'yellow', note: 'cyan' } as const;

/** Continuation lines of a finding start under its message: 2 + position (9) + 1 + level (7) + 1. */
const FINDING_INDENT = 20;

/** The line after a clean work-tree scan of a git repository: deleted keys live on in commits. */
export const HISTORY_HINT =
  'No keys in the files as they are now; a key deleted from a file is still in the commits that had it — run ms-leakscan history to scan every commit.';

/**
 * Human report: findings grouped by file (`line:col  level  key  what  rule`), then each distinct fix once,
 * errors, warnings and one summary line, wrapped to `context.width` (80 unless a terminal says otherwise).
 */
export function formatText(result: ScanResult, context: ReportContext): string {
  const width = context.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const wrapped = (line: string, indent: number): void => {
    out.push(wrapLine(line, width, indent));
  };
  const byPath = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = f.commitMessage && f.commit ? `message of commit ${f.commit.sha.slice(0, 12)}` : f.commit ? `${e(f.path)} @ ${f.commit.sha.slice(0, 12)}` : e(f.path);
    byPath.set(key, [...(byPath.get(key) ?? []), f]);
  }
  const fixes = new FixList(context.rules);
  for (const [where, findings] of byPath) {
    out.push(paint(context.color, 'underline', where));
    const commit = findings[0].commit;
    if (commit) wrapped(paint(context.color, 'dim', `  commit ${commit.sha.slice(0, 12)} by ${e(commit.author)} <${e(commit.email)}> on ${e(commit.date)}: ${e(commit.message)}`), 4);
    for (const f of findings) {
      const fix = fixes.add(f);
      // A key in a binary's strings is at a byte offset (it has no lines); one found encoded says how.
      const position = (f.byteOffset !== undefined ? `@${f.byteOffset}` : `${f.startLine}:${f.startColumn}`).padEnd(9);
      const how = f.decoded ? ` (${f.decoded}-encoded)` : '';
      const level = paint(context.color, LEVEL_STYLE[f.level], f.level.padEnd(7));
      const verified = f.verification ? `  ${paint(context.color, f.verification.status === 'live' ? 'red' : 'dim', `[${e(describeVerification(f.verification))}]`)}` : '';
      wrapped(`  ${position} ${level} ${paint(context.color, 'bold', e(f.secret))}  ${e(f.message)}${how}${verified}  ${paint(context.color, 'dim', `${f.ruleId} [fix ${fix}]`)}`, FINDING_INDENT);
    }
    out.push('');
  }
  if (fixes.paragraphs.length) {
    out.push(paint(context.color, 'bold', 'What to do'));
    fixes.paragraphs.forEach((fix, i) => {
      const label = `  [fix ${i + 1}] `;
      wrapped(`${label}${fix.regions.length > 1 ? `(${fix.regions.join(', ')}) ` : ''}${e(fix.text)}`, label.length);
    });
    out.push('');
  }
  if (result.unusedBaseline?.length) {
    out.push(paint(context.color, 'bold', 'Unused baseline entries (they match nothing now; remove these lines from the baseline)'));
    for (const e of result.unusedBaseline) out.push(`  ${e.ruleId} ${e.fingerprint}`);
    out.push('');
  }
  for (const error of result.errors) wrapped(paint(context.color, 'red', `error: ${e(error.path)}: ${e(error.message)}`), 2);
  for (const w of result.warnings) wrapped(paint(context.color, 'yellow', `warning: ${e(w)}`), 2);
  if (context.quiet) while (out.at(-1) === '') out.pop();
  else {
    if (context.suggestHistory && result.findings.length === 0 && result.errors.length === 0) wrapped(HISTORY_HINT, 2);
    // The summary stays one line whatever the width, and the last: scripts and people grep it.
    out.push(summaryLine(result));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

interface FixParagraph {
  text: string;
  /** Region names of the findings it stands for, when it was merged from texts that differ only by region. */
  regions: string[];
}

/**
 * The distinct remediation paragraphs, numbered in order of first use. Texts that come from the same rule template
 * and differ only by the region filled in are one paragraph, prefixed with the regions: "(China (Beijing),
 * Singapore) … in the Model Studio console for the key's region …".
 */
class FixList {
  readonly paragraphs: FixParagraph[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly templates: Map<string, string>;

  constructor(rules: readonly Rule[]) {
    this.templates = new Map(rules.map((r) => [r.id, r.remediation]));
  }

  /** The 1-based number of the paragraph for `f`'s remediation. */
  add(f: Finding): number {
    const template = this.templates.get(f.ruleId);
    const name = regionName(f.region);
    const regional = template !== undefined && name !== undefined && template.includes('{region}') && template.replace('{region}', name) === f.remediation;
    const key = regional ? `template\u0000${template}` : `text\u0000${f.remediation}`;
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.paragraphs.push({ text: f.remediation, regions: regional ? [name] : [] }) - 1;
      this.byKey.set(key, index);
    } else if (regional) {
      const paragraph = this.paragraphs[index];
      if (!paragraph.regions.includes(name)) {
        paragraph.regions.push(name);
        paragraph.text = template.replace('{region}', "the key's region");
      }
    }
    return index + 1;
  }
}
