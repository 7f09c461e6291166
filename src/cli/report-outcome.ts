import path from 'node:path';
import { builtinRules } from '../../rules';
import { atLeast } from '../detect/detect';
import { formatReport } from '../report';
import { summaryLine } from '../report/format';
import { escapeControl } from '../report/scrub';
import type { Level, Rule, ScanResult } from '../types';
import { packageInfo } from '../version';
import { useColor } from './color';
import type { CommandContext, CommandOutcome } from './context';
import { isGitWorkTree } from './history-hint';
import type { OutputArgs, ScanArgs } from './options';
import { writeFileAtomic } from './write-atomic';

/** Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage/config/runtime error or an incomplete scan. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/**
 * Formats a result, writes it to --output or standard output, and picks the exit code. A scan that could not
 * read some files exits 2 when nothing else failed it, so an incomplete scan never passes as clean.
 */
export function reportOutcome(
  result: ScanResult,
  args: Omit<OutputArgs, 'failLevel'> & Partial<Pick<ScanArgs, 'onlyLive' | 'paths'>> & { failLevel: Level },
  source: string,
  ctx: CommandContext,
  rules: readonly Rule[] = builtinRules,
): CommandOutcome {
  // The report goes to standard output, so its terminal decides (`ms-leakscan . > report.txt` gets no escapes).
  const toTerminal = !args.output && (ctx.stdoutIsTTY ?? ctx.isTTY);
  const color = args.format === 'text' && !args.output && useColor(args.color, ctx.env, toTerminal);
  const report = formatReport(args.format, result, {
    toolName: packageInfo().name,
    toolVersion: packageInfo().version,
    color,
    source,
    failLevel: args.failLevel,
    rules,
    quiet: args.quiet,
    ...(toTerminal && ctx.columns ? { width: ctx.columns } : {}),
    suggestHistory: source === 'working-tree' && isGitWorkTree(ctx.cwd, args.paths),
  });
  let stdout = report;
  let stderr = '';
  if (args.output) {
    // run() scrubs what it prints; a report file is an output too, so it is scrubbed here, before it is written.
    writeFileAtomic(path.resolve(ctx.cwd, args.output), ctx.scrub(report), `--output ${args.output}`);
    stdout = '';
    if (!args.quiet) stderr += `${summaryLine(result)}; report written to ${escapeControl(args.output)}\n`;
  }
  const atFailLevel = result.findings.filter((f) => atLeast(f.level, args.failLevel));
  // --only-live: a key shown dead or never sent does not fail; one whose check broke does (an outage is no pass).
  const failingFindings = args.onlyLive ? atFailLevel.filter((f) => f.verification?.status === 'live' || f.verification?.status === 'unknown') : atFailLevel;
  const failing = failingFindings.length > 0;
  const excused = atFailLevel.length - failingFindings.length;
  if (excused > 0 && !args.quiet) {
    stderr += `ms-leakscan: --only-live: ${excused} finding(s) at or above ${args.failLevel} do not fail the scan (verified invalid, or not verifiable)\n`;
  }
  // An incomplete scan exits 2 even when it found keys: exit 1 would read as "these are all the keys there are".
  if (result.errors.length > 0) {
    const found = failing ? `; ${failingFindings.length} finding(s) at or above ${args.failLevel} were reported from what could be read` : '';
    stderr += `ms-leakscan: the scan is incomplete: ${result.errors.length} error(s) above name what could not be read and how to fix it${found}\n`;
  }
  return { exitCode: result.errors.length > 0 ? EXIT.error : failing ? EXIT.findings : EXIT.clean, stdout, stderr };
}
