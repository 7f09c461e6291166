import { builtinRules } from '../../rules';
import type { DetectOptions } from '../detect/detect';
import type { Rule, ScanResult } from '../types';
import type { CommandContext } from './context';
import type { OutputArgs, ScanArgs } from './options';

/**
 * Everything a scan of any source (working tree, staged, history, range) needs besides its own inputs:
 * the rules, the detection options and path exclusions. The single place where flags and, later, the config
 * file and baseline become scan settings, so every source and format applies them alike.
 */
export interface ScanSettings {
  rules: readonly Rule[];
  detect: DetectOptions;
  /** Paths (relative to cwd, forward slashes) not to scan. */
  isExcludedPath?: (path: string) => boolean;
}

export async function resolveSettings(args: OutputArgs & ScanArgs, _ctx: CommandContext): Promise<ScanSettings> {
  return {
    rules: builtinRules,
    detect: { showSecret: args.showSecret, inlineAllow: args.inlineAllow },
  };
}

/** Last step of every scan before reporting (baseline suppression will plug in here). */
export function finishResult(result: ScanResult, _settings: ScanSettings): ScanResult {
  return result;
}
