import { redactSecret } from '../detect/redact';
import type { Finding, Level, Rule, ScanResult } from '../types';

/** What every reporter is given besides the result. */
export interface ReportContext {
  toolName: string;
  toolVersion: string;
  /** ANSI colours (text only). */
  color: boolean;
  /** What was scanned: `working-tree`, `staged`, `history`, `diff` (SARIF uses it for the run's category). */
  source: string;
  /** The fail level, so a summary can say what blocks. */
  failLevel: Level;
  /** The enabled rules (SARIF lists every one of them in `tool.driver.rules`). */
  rules: readonly Rule[];
  /** `--quiet`: only findings and errors, no summary line (text). */
  quiet?: boolean;
  /** Columns the text report is wrapped to: the terminal's width, 80 when standard output is not a terminal. */
  width?: number;
  /** Text: end a clean report with a line suggesting `ms-leakscan history` (a work-tree scan of a git repository). */
  suggestHistory?: boolean;
}

/** The text report's width when none is given (not a terminal), and the narrowest it is ever wrapped to. */
export const DEFAULT_WIDTH = 80;
const NARROWEST = 40;

/** ANSI colour sequences take no columns. */
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/**
 * `line` broken at spaces into lines of at most `width` columns, continuation lines indented by `indent` spaces.
 * A word longer than a line (a path, a URL) is never cut, so it can still be copied; it just overflows. Columns are
 * UTF-16 code units, close enough for the mostly ASCII text we print.
 */
export function wrapLine(line: string, width: number = DEFAULT_WIDTH, indent = 2): string {
  const limit = Math.max(NARROWEST, width);
  if (visibleLength(line) <= limit) return line;
  const lead = /^ */.exec(line)![0];
  // A bracketed tag (`[verified live in China (Beijing)]`, `[fix 1]`) moves as one word: split only at spaces
  // that are not followed by a `]` before the next `[` (colour codes hold a `[` too, so they end the look).
  const words = line.slice(lead.length).split(/ (?![^[]*\])/);
  const pad = ' '.repeat(Math.min(indent, limit - 20));
  const lines: string[] = [];
  let current = lead;
  let currentLength = lead.length;
  let empty = true;
  for (const word of words) {
    const length = visibleLength(word);
    if (!empty && currentLength + 1 + length > limit) {
      lines.push(current.trimEnd());
      // A run of spaces where the line breaks is dropped with the break.
      current = pad + word;
      currentLength = pad.length + length;
      empty = word === '';
      continue;
    } else {
      current += empty ? word : ` ${word}`;
      currentLength += (empty ? 0 : 1) + length;
    }
    empty = false;
  }
  lines.push(current);
  return lines.join('\n');
}

export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.level]++;
  return counts;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one summary line: files, bytes, findings by level, suppressed, errors, time. */
export function summaryLine(result: ScanResult): string {
  const c = countByLevel(result.findings);
  const parts = [
    `${plural(result.findings.length, 'finding')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')})`,
    `in ${plural(result.stats.files, 'file')} (${formatBytes(result.stats.bytes)})`,
  ];
  if (result.stats.suppressed) {
    parts.push(`${result.stats.suppressed} suppressed${result.stats.baselined ? ` (${result.stats.baselined} by the baseline)` : ''}`);
  }
  const unused = result.unusedBaseline?.length ?? 0;
  if (unused) parts.push(`${unused} unused baseline ${unused === 1 ? 'entry' : 'entries'}`);
  if (result.errors.length) parts.push(`${plural(result.errors.length, 'file')} not scanned (see errors)`);
  return `${parts.join(', ')}, ${result.stats.durationMs} ms`;
}

/** A finding's secret as machine formats (SARIF, annotations) show it: redacted even under --show-secret. */
export function redactedForm(secret: string): string {
  // Redacted forms hold an ellipsis, which no key contains.
  return secret.includes('\u2026') ? secret : redactSecret(secret);
}
