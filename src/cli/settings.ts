import path from 'node:path';
import { builtinRules } from '../../rules';
import { applyBaseline, readBaseline, type BaselineEntry } from '../config/baseline';
import { findConfig, scanRoot } from '../config/find-config';
import { displayPath, loadConfig, type LoadedConfig } from '../config/load-config';
import type { DetectOptions } from '../detect/detect';
import { UserError } from '../errors';
import { toReportPath } from '../sources/files';
import type { Rule, ScanResult } from '../types';
import type { CommandContext } from './context';
import type { OutputArgs, ScanArgs } from './options';

/**
 * Everything a scan of any source (working tree, staged, history, range) needs besides its own inputs:
 * the rules, the detection options and path exclusions. The single place where flags, the config file and the
 * baseline become scan settings, so every source and format applies them alike.
 */
export interface ScanSettings {
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
  /** Notes about the settings themselves, added to the result's warnings. */
  warnings: string[];
  /** cwd of the scan, to place the config file among finding paths. */
  cwd: string;
}

function locateConfig(args: ScanArgs, ctx: CommandContext): LoadedConfig | undefined {
  if (args.config === false) return undefined;
  if (args.config) return loadConfig({ file: path.resolve(ctx.cwd, args.config) }, ctx.cwd);
  const found = findConfig(scanRoot(ctx.cwd, args.paths));
  return found && loadConfig(found, ctx.cwd);
}

/**
 * Builds the settings from flags and the config file. Also settles `args.failLevel`: the flag when given,
 * else the config's failLevel, else warning (the option has no yargs default so the two can be told apart).
 */
export async function resolveSettings(args: OutputArgs & ScanArgs, ctx: CommandContext): Promise<ScanSettings> {
  const config = locateConfig(args, ctx);
  args.failLevel ??= config?.data.failLevel ?? 'warning';
  const warnings: string[] = [];
  if (config && !args.config) {
    const shadowed = findConfig(path.dirname(config.file))?.shadowed;
    if (shadowed) warnings.push(`${displayPath(ctx.cwd, shadowed)}: its "ms-leakscan" key is ignored because ${config.display} is used — keep one of them`);
  }
  let baseline: ScanSettings['baseline'];
  const baselineFile = args.baseline ? path.resolve(ctx.cwd, args.baseline) : config?.baseline;
  if (baselineFile) {
    const display = displayPath(ctx.cwd, baselineFile);
    baseline = { display, entries: readBaseline(baselineFile, display), reportUnused: args.reportUnused ?? false };
  } else if (args.reportUnused) {
    throw new UserError('--report-unused needs a baseline — add --baseline FILE or "baseline" to the config');
  }
  const isAllowedPath = config?.isAllowedPath;
  const isAllowedSecret = config?.isAllowedSecret;
  return {
    rules: config?.rules ?? builtinRules,
    detect: {
      showSecret: args.showSecret,
      inlineAllow: args.inlineAllow,
      ...(isAllowedSecret ? { isAllowedSecret: (secret: string) => isAllowedSecret(secret), allowSecrets: config?.data.allowSecrets } : {}),
    },
    ...(isAllowedPath ? { isExcludedPath: (rel: string) => isAllowedPath(path.resolve(ctx.cwd, rel)) } : {}),
    ...(config?.data.maxFileSize !== undefined ? { maxFileSize: config.data.maxFileSize } : {}),
    ...(config ? { config } : {}),
    ...(baseline ? { baseline } : {}),
    warnings,
    cwd: ctx.cwd,
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
