import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { builtinRules } from '../../../rules';
import { atLeast } from '../../detect/detect';
import { UserError } from '../../errors';
import { mergedSarifText, mergeResults, mergeSarif, readReport, type ReadReport } from '../../report/merge';
import { redactedForm } from '../../report/format';
import { escapeControl, scrubSecrets } from '../../report/scrub';
import { attributeShards } from '../../sources/history-shard';
import type { Level, ScanResult } from '../../types';
import { packageInfo } from '../../version';
import type { CommandContext, CommandOutcome } from '../context';
import { MERGE_OPTIONS, type OutputArgs } from '../options';
import { EXIT, reportOutcome } from '../report-outcome';
import { writeFileAtomic } from '../write-atomic';

export interface MergeCommandArgs extends Omit<OutputArgs, 'format'> {
  format?: OutputArgs['format'];
  reports: string[];
}

/**
 * `ms-leakscan merge REPORT...`: one report from several JSON or SARIF reports of this version — the shards
 * of a history scan (attributed as one scan would), or scans of several repositories or folders.
 */
export const mergeCommand = {
  command: 'merge <reports..>',
  describe: 'Combine JSON or SARIF reports of ms-leakscan (e.g. the shards of history --shard K/N) into one, deduplicated and sorted',
  builder: (y: Argv) =>
    y.positional('reports', { type: 'string', array: true, describe: 'Reports written by ms-leakscan --format json (or all --format sarif)' }).options(MERGE_OPTIONS),
  run: async (args: MergeCommandArgs, ctx: CommandContext): Promise<CommandOutcome> => {
    const tool = { name: packageInfo().name, version: packageInfo().version };
    const reports = args.reports.map((file) => {
      let text: string;
      try {
        text = readFileSync(path.resolve(ctx.cwd, file), 'utf8');
      } catch (error) {
        throw new UserError(`cannot read report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} — check the path`);
      }
      return readReport(file, text, tool);
    });
    const formats = new Set(reports.map((r) => r.format));
    if (formats.size > 1) {
      const json = reports.find((r) => r.format === 'json') as ReadReport;
      const sarif = reports.find((r) => r.format === 'sarif') as ReadReport;
      throw new UserError(`${json.file} is JSON but ${sarif.file} is SARIF — merge reports of one format (JSON reports can be written out in any format)`);
    }
    const failLevel: Level = args.failLevel ?? 'warning';
    const first = reports[0];
    if (first.format === 'sarif') {
      if (args.format !== undefined && args.format !== 'sarif') {
        throw new UserError(`SARIF reports merge into SARIF only (SARIF does not carry every field of a finding) — merge the JSON reports to get --format ${args.format}`);
      }
      const log = mergeSarif(reports.map((r) => (r as Extract<ReadReport, { format: 'sarif' }>).log));
      const text = mergedSarifText(log);
      const results = log.runs[0].results ?? [];
      const failing = results.some((r) => atLeast((r.level ?? 'warning') as Level, failLevel));
      const incomplete = log.runs[0].invocations?.some((i) => !i.executionSuccessful) ?? false;
      const written = writeOutput(text, args.output, ctx, `${results.length} result(s) merged from ${reports.length} reports`, args.quiet);
      return { exitCode: failing ? EXIT.findings : incomplete ? EXIT.error : EXIT.clean, ...written };
    }
    const json = reports as Extract<ReadReport, { format: 'json' }>[];
    const result = mergeResults(completeShards(json));
    // A report written with --show-secret holds whole secrets: they stay hidden unless this merge asks too.
    const shown: ScanResult = args.showSecret ? result : { ...result, findings: result.findings.map((f) => ({ ...f, secret: redactedForm(f.secret) })) };
    const source = json.some((r) => r.shard !== undefined) ? 'history' : 'merged';
    return reportOutcome(shown, { ...args, format: args.format ?? 'json', failLevel }, source, ctx, builtinRules);
  },
};

/**
 * The reports as results, each set of shards of one history replaced by one result whose findings are attributed
 * across the shards; other reports pass through.
 */
function completeShards(reports: Extract<ReadReport, { format: 'json' }>[]): ScanResult[] {
  const plain = reports.filter((r) => r.shard === undefined).map((r) => r.result);
  const groups = new Map<string, typeof reports>();
  for (const r of reports) {
    if (r.shard === undefined) continue;
    const listing = typeof (r.shard as { listing?: unknown }).listing === 'string' ? (r.shard as { listing: string }).listing : '';
    groups.set(listing, [...(groups.get(listing) ?? []), r]);
  }
  const sharded = [...groups.values()].map((group) => {
    // Keys in commit messages need no attribution (only the first shard scans messages): they pass through.
    const inMessages = group.flatMap((r) => r.result.findings.filter((f) => f.commitMessage));
    const findings = [...inMessages, ...attributeShards(group.map((r) => ({ file: r.file, shard: r.shard, findings: r.result.findings })))];
    return { ...mergeResults(group.map((r) => ({ ...r.result, findings: [] }))), findings };
  });
  return [...sharded, ...plain];
}

/** The merged SARIF to --output or standard output (the summary line, when written to a file, on standard error). */
function writeOutput(text: string, output: string | undefined, ctx: CommandContext, summary: string, quiet: boolean): { stdout: string; stderr: string } {
  if (!output) return { stdout: text, stderr: '' };
  // SARIF shows secrets redacted even under --show-secret; scrubbed as every report file is.
  writeFileAtomic(path.resolve(ctx.cwd, output), scrubSecrets(text), `--output ${output}`);
  return { stdout: '', stderr: quiet ? '' : `${summary}; report written to ${escapeControl(output)}\n` };
}
