import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { Log } from 'sarif';
import { builtinRules } from '../../rules';
import { POLICY_NOTICE_PREFIX } from '../cli/commands/diff';
import { run as runCli } from '../cli/run';
import { writeFileAtomic } from '../cli/write-atomic';
import { UserError } from '../errors';
import { buildSarif } from '../report/sarif';
import type { Level } from '../types';
import { packageInfo } from '../version';
import { MODES, planScan, type ActionEvent, type Mode, type ScanPlan } from './plan';
import { findingsFromSarif, summaryMarkdown, warningsFromSarif, type ShownFinding } from './summary';

const LEVELS: readonly Level[] = ['error', 'warning', 'note'];

/** GitHub keeps only a few annotations per step and drops the rest silently; the SARIF has every finding. */
const MAX_ANNOTATIONS = 50;

const INLINE_ALLOW = ['auto', 'true', 'false'] as const;

interface Inputs {
  path: string;
  mode: Mode;
  failLevel: Level;
  sarifFile: string;
  /** A config file (relative to the workspace), `none`, or '' to find it as the CLI does. */
  config: string;
  baseline: string;
  inlineAllow: (typeof INLINE_ALLOW)[number];
  /** The verify input: '' (off), 'true', or 'only-live' (verify, and fail only on live or inconclusive keys). */
  verify: '' | 'true' | 'only-live';
}

/** Verification sends keys to the vendor, so it runs only when the workflow asks for it. */
function readVerifyInput(): Inputs['verify'] {
  const verify = core.getInput('verify').trim().toLowerCase();
  if (verify === '' || verify === 'false') return '';
  if (verify === 'true' || verify === 'only-live') return verify;
  throw new UserError(`input verify: "${verify}" is not one of false, true, only-live`);
}

function readInputs(): Inputs {
  const mode = core.getInput('mode') || 'auto';
  if (!(MODES as readonly string[]).includes(mode)) throw new UserError(`input mode: "${mode}" is not one of ${MODES.join(', ')}`);
  const failLevel = core.getInput('fail-level') || 'warning';
  if (!(LEVELS as readonly string[]).includes(failLevel)) throw new UserError(`input fail-level: "${failLevel}" is not one of ${LEVELS.join(', ')}`);
  const inlineAllow = core.getInput('inline-allow') || 'auto';
  if (!(INLINE_ALLOW as readonly string[]).includes(inlineAllow)) throw new UserError(`input inline-allow: "${inlineAllow}" is not one of ${INLINE_ALLOW.join(', ')}`);
  return {
    path: core.getInput('path') || '.',
    mode: mode as Mode,
    failLevel: failLevel as Level,
    sarifFile: core.getInput('sarif-file') || 'ms-leakscan.sarif',
    config: core.getInput('config'),
    baseline: core.getInput('baseline'),
    verify: readVerifyInput(),
    inlineAllow: inlineAllow as Inputs['inlineAllow'],
  };
}

function readEvent(env: NodeJS.ProcessEnv): ActionEvent {
  const file = env.GITHUB_EVENT_PATH;
  let payload: Record<string, unknown> = {};
  if (file && existsSync(file)) {
    try {
      payload = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UserError(`GITHUB_EVENT_PATH ${file} is not valid JSON (${(error as Error).message}) — this action must run inside a GitHub workflow`);
    }
  }
  return { name: env.GITHUB_EVENT_NAME ?? '', payload };
}

/** Scans as planned, writing SARIF; returns the CLI's exit code and its last words. */
async function scan(plan: ScanPlan, inputs: Inputs, cwd: string, workspace: string, sarifPath: string): Promise<{ exitCode: number; stderr: string }> {
  if (!plan.argv) {
    const empty = { findings: [], errors: [], warnings: [], stats: { files: 0, bytes: 0, durationMs: 0 } };
    const info = packageInfo();
    writeFileAtomic(
      sarifPath,
      buildSarif(empty, { toolName: info.name, toolVersion: info.version, color: false, source: plan.source, failLevel: inputs.failLevel, rules: builtinRules }),
      `sarif-file ${sarifPath}`,
    );
    return { exitCode: 0, stderr: '' };
  }
  const argv = [...plan.argv, '--format', 'sarif', '--output', sarifPath, '--fail-level', inputs.failLevel];
  // With --policy-from (pull requests, pushes) a path inside the repository names the file in the base commit.
  if (inputs.config === 'none') argv.push('--no-config');
  else if (inputs.config) argv.push('--config', path.resolve(workspace, inputs.config));
  if (inputs.baseline) argv.push('--baseline', path.resolve(workspace, inputs.baseline));
  if (inputs.verify) argv.push('--verify', ...(inputs.verify === 'only-live' ? ['--only-live'] : []));
  if (!honoursInlineAllow(inputs.inlineAllow, plan)) argv.push('--no-inline-allow');
  core.info(`ms-leakscan ${argv.join(' ')}`);
  const outcome = await runCli(argv, { cwd, env: process.env, isTTY: false });
  if (outcome.stderr) core.info(outcome.stderr.trimEnd());
  return outcome;
}

/**
 * `auto`: not for a pull request or push, whose scanned lines are all the change's own, so an allow comment on
 * them is the change exempting itself; yes for the working tree and full history (what is already merged).
 */
export function honoursInlineAllow(setting: Inputs['inlineAllow'], plan: ScanPlan): boolean {
  if (setting !== 'auto') return setting === 'true';
  return plan.source !== 'diff';
}

function annotate(findings: readonly ShownFinding[]): void {
  for (const f of findings.slice(0, MAX_ANNOTATIONS)) {
    if (f.notInHead) {
      // The key's line is in an earlier commit, not in the files of the head: no file to point at.
      core[f.level](`${f.file} line ${f.startLine} of commit ${f.commit?.slice(0, 12)} (a later commit removed it; it stays public in that commit): ${f.message}`, {
        title: f.title,
      });
      continue;
    }
    if (f.commitMessage) {
      // A key in a commit message: no file of the head to point at.
      core[f.level](`message of commit ${f.commit?.slice(0, 12)}, line ${f.startLine}: ${f.message}`, { title: f.title });
      continue;
    }
    core[f.level](f.message, {
      title: f.title,
      file: f.file,
      startLine: f.startLine,
      endLine: f.endLine,
      startColumn: f.startColumn,
      endColumn: f.endColumn,
    });
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/**
 * The action: inputs → what to scan (from the event) → `ms-leakscan … --format sarif --output FILE` → outputs,
 * annotations, job summary, and a failed step when findings reach the fail level or the scan could not finish.
 */
export async function run(): Promise<void> {
  try {
    const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    const inputs = readInputs();
    const repo = path.resolve(workspace, inputs.path);
    const plan = await planScan(inputs.mode, readEvent(process.env), repo, inputs.path);
    core.info(`ms-leakscan: ${plan.description}`);
    const sarifPath = path.resolve(workspace, inputs.sarifFile);
    const cwd = plan.source === 'working-tree' ? workspace : repo;
    const outcome = await scan(plan, inputs, cwd, workspace, sarifPath);

    let findings: ShownFinding[] = [];
    let notes: string[] = [];
    if (existsSync(sarifPath)) {
      const log = JSON.parse(readFileSync(sarifPath, 'utf8')) as Log;
      findings = findingsFromSarif(log, cwd, workspace);
      notes = warningsFromSarif(log);
      core.setOutput('sarif-file', sarifPath);
    }
    core.setOutput('findings', String(findings.length));
    annotate(findings);
    for (const note of notes) (note.startsWith(POLICY_NOTICE_PREFIX) ? core.notice : core.warning)(note, { title: 'ms-leakscan' });

    const verdict =
      outcome.exitCode === 0
        ? inputs.verify === 'only-live' && findings.length
          ? `No key verified live or inconclusive (${findings.length} finding(s) verified invalid, not verifiable, or below ${inputs.failLevel}).`
          : `No finding at or above ${inputs.failLevel}${findings.length ? ` (${findings.length} below it)` : ''}.`
        : outcome.exitCode === 1
          ? `${findings.length} finding(s); the step fails at ${inputs.failLevel} and above.`
          : `The scan did not complete: ${lastLine(outcome.stderr)}`;
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(findings, plan.description, verdict, notes)).write();

    if (outcome.exitCode === 1) {
      core.setFailed(`ms-leakscan found ${findings.length} key(s) at or above ${inputs.failLevel}: rotate each one in its console (see the annotations), then remove it from the code`);
    } else if (outcome.exitCode !== 0) {
      core.setFailed(lastLine(outcome.stderr) || `ms-leakscan exited with ${outcome.exitCode}`);
    }
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(`ms-leakscan: ${error instanceof Error ? error.message : String(error)}`);
  }
}
