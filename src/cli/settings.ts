import path from 'node:path';
import { builtinRules } from '../../rules';
import { applyBaseline, readBaseline, type BaselineEntry } from '../config/baseline';
import { loadCommitPolicy, type CommitPolicy, type PolicyRequest } from '../config/commit-policy';
import { findConfig, scanRoot } from '../config/find-config';
import { displayPath, loadConfig, type LoadedConfig } from '../config/load-config';
import type { DetectOptions } from '../detect/detect';
import { UserError } from '../errors';
import { openRepository, resolveCommit } from '../git/repo';
import { fromReportPath, toReportPath } from '../paths';
import type { Level, Rule, ScanResult } from '../types';
import { SecretVault } from '../verify/secret-vault';
import type { CommandContext } from './context';
import { excludeMatcher } from './exclude';
import type { OutputArgs, ScanArgs } from './options';

/**
 * Everything a scan of any source (working tree, staged, history, range) needs besides its own inputs:
 * the rules, the detection options and path exclusions. The single place where flags, the config file and the
 * baseline become scan settings, so every source and format applies them alike.
 */
export interface ScanSettings {
  /** Findings at or above this level fail the scan. */
  failLevel: Level;
  rules: readonly Rule[];
  detect: DetectOptions;
  /** Paths (relative to cwd, forward slashes) not to scan. */
  isExcludedPath?: (path: string) => boolean;
  /** Files larger than this many bytes are skipped with a warning (config `maxFileSize`). */
  maxFileSize?: number;
  /** The configuration in force, if any. */
  config?: LoadedConfig;
  /** The baseline finishResult applies. */
  baseline?: { display: string; entries: BaselineEntry[]; reportUnused: boolean };
  /** With --policy-from: the commit the policy was read from, and how (to compare with the scanned change). */
  policy?: { request: PolicyRequest; loaded: CommitPolicy };
  /** Notes about the settings themselves, added to the result's warnings. */
  warnings: string[];
  /** cwd of the scan, to place the config file among finding paths. */
  cwd: string;
  /** With --verify: the clear secrets of the findings, by fingerprint, for the verifier only (see verify-step.ts). */
  vault?: SecretVault;
}

function locateConfig(args: ScanArgs, ctx: CommandContext): LoadedConfig | undefined {
  if (args.config === false) return undefined;
  if (args.config) return loadConfig({ file: path.resolve(ctx.cwd, args.config) }, ctx.cwd);
  const found = findConfig(scanRoot(ctx.cwd, args.paths));
  return found && loadConfig(found, ctx.cwd);
}

/** `--policy-from COMMIT`: config and baseline as that commit has them, read with git. */
async function commitPolicy(args: ScanArgs, ctx: CommandContext): Promise<ScanSettings['policy']> {
  const repo = await openRepository(ctx.cwd, 'with --policy-from');
  const commit = await resolveCommit(repo, args.policyFrom as string, '--policy-from');
  const request: PolicyRequest = {
    repo,
    commit,
    cwd: ctx.cwd,
    startDir: scanRoot(ctx.cwd, args.paths),
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
  };
  return { request, loaded: await loadCommitPolicy(request) };
}

/**
 * Builds the settings from flags and the config file. `failLevel` is the flag when given, else the config's
 * failLevel, else warning (the option has no yargs default so the two can be told apart).
 */
export async function resolveSettings(args: OutputArgs & ScanArgs, ctx: CommandContext): Promise<ScanSettings> {
  const policy = args.policyFrom !== undefined ? await commitPolicy(args, ctx) : undefined;
  const config = policy ? policy.loaded.config : locateConfig(args, ctx);
  if (config) ctx.useRules(config.rules);
  const failLevel: Level = args.failLevel ?? config?.data.failLevel ?? 'warning';
  const warnings: string[] = [...(policy?.loaded.warnings ?? [])];
  if (config && !args.config && !policy) {
    const shadowed = findConfig(path.dirname(config.file))?.shadowed;
    if (shadowed) warnings.push(`${displayPath(ctx.cwd, shadowed)}: its "ms-leakscan" key is ignored because ${config.display} is used — keep one of them`);
  }
  let baseline: ScanSettings['baseline'];
  const baselineFile = args.baseline ? path.resolve(ctx.cwd, args.baseline) : config?.baseline;
  if (policy?.loaded.baseline) {
    baseline = { ...policy.loaded.baseline, reportUnused: args.reportUnused ?? false };
  } else if (baselineFile && !policy) {
    const display = displayPath(ctx.cwd, baselineFile);
    baseline = { display, entries: readBaseline(baselineFile, display), reportUnused: args.reportUnused ?? false };
  } else if (args.reportUnused) {
    throw new UserError('--report-unused needs a baseline — add --baseline FILE or "baseline" to the config');
  }
  if (args.onlyLive && !args.verify) throw new UserError('--only-live needs --verify — add --verify, or drop --only-live');
  // A bad HTTPS_PROXY stops the command before the scan, not after it.
  // The network modules load only with --verify: a pre-commit run is mostly start-up.
  if (args.verify) (require('../verify/proxy') as typeof import('../verify/proxy')).proxySettings(ctx.env);
  const vault = args.verify ? new SecretVault() : undefined;
  const allowed = config?.isAllowedPath;
  const excluded = excludeMatcher(args.exclude, ctx.cwd);
  const isAllowedPath = allowed && excluded ? (abs: string) => allowed(abs) || excluded(abs) : (allowed ?? excluded);
  const isAllowedSecret = config?.isAllowedSecret;
  return {
    failLevel,
    rules: config?.rules ?? builtinRules,
    detect: {
      showSecret: args.showSecret,
      inlineAllow: args.inlineAllow,
      stages: { decode: args.decode !== false, archives: args.archives !== false, binaryStrings: args.binaryStrings !== false },
      ...(isAllowedSecret ? { isAllowedSecret: (secret: string) => isAllowedSecret(secret), allowSecrets: config?.data.allowSecrets } : {}),
      ...(vault ? { keepSecret: vault.keep } : {}),
    },
    ...(isAllowedPath ? { isExcludedPath: (rel: string) => isAllowedPath(fromReportPath(ctx.cwd, rel)) } : {}),
    ...((args.maxFileSize ?? config?.data.maxFileSize) !== undefined ? { maxFileSize: args.maxFileSize ?? config?.data.maxFileSize } : {}),
    ...(config ? { config } : {}),
    ...(baseline ? { baseline } : {}),
    ...(policy ? { policy } : {}),
    warnings,
    cwd: ctx.cwd,
    ...(vault ? { vault } : {}),
  };
}

/**
 * Last step of every scan before reporting: drops the custom rules' own examples found in the config file,
 * applies the baseline and adds the settings' warnings.
 */
export function finishResult(result: ScanResult, settings: ScanSettings): ScanResult {
  let finished = result;
  const config = settings.config;
  if (config && config.exampleFingerprints.size > 0) {
    const configPath = toReportPath(settings.cwd, config.file);
    const findings = finished.findings.filter((f) => !(f.path === configPath && config.exampleFingerprints.has(f.fingerprint)));
    const dropped = finished.findings.length - findings.length;
    if (dropped) finished = { ...finished, findings, stats: { ...finished.stats, suppressed: (finished.stats.suppressed ?? 0) + dropped } };
  }
  if (settings.baseline) finished = applyBaseline(finished, settings.baseline.entries, settings.baseline.reportUnused);
  if (settings.warnings.length) finished = { ...finished, warnings: [...finished.warnings, ...settings.warnings] };
  return finished;
}

/** How the note about a change to the policy starts (the Action shows it as a notice, not a warning). */
export const POLICY_NOTICE_PREFIX = 'policy: ';

/** The note for a change that edits the policy it is scanned with. */
export function policyChangeNotice(changed: readonly string[], policyCommit: string): string {
  return (
    `${POLICY_NOTICE_PREFIX}the scanned change edits ${changed.join(', ')}; this scan used the config and baseline of ${policyCommit.slice(0, 12)} ` +
    '(--policy-from), and the change applies once it is merged'
  );
}
