import { builtinRules } from '../../rules';
import { compileSecretAllowlist, type SecretAllowlist } from '../config/allow';
import { compileCustomRule, ruleOrigin, ruleWithLevel, type RuleOrigin } from '../config/custom-rules';
import type { DetectOptions } from '../detect/detect';
import type { Rule } from '../types';

/**
 * Everything detection needs, as plain data: what a worker thread is given. Rule objects (functions, closures)
 * cannot cross a thread boundary; their origins can, and each side builds the very same rules and allowlist.
 */
export interface DetectionSetup {
  rules: RuleOrigin[];
  showSecret?: boolean;
  inlineAllow?: boolean;
  allowSecrets?: SecretAllowlist;
  /** --verify: the worker sends back each finding's clear secret beside the outcome (see secretsOf), never in it. */
  keepSecrets?: boolean;
  /** --no-decode, --no-archives, --no-binary-strings. */
  stages?: DetectOptions['stages'];
}

/** Clear secrets by fingerprint, as a worker sends them back when verification needs them. */
export type KeptSecrets = [fingerprint: string, secret: string][];

/** The options of a scan as plain data, or undefined when a rule or the allowlist was made by code (no origin). */
export function detectionSetupOf(rules: readonly Rule[], detect: DetectOptions): DetectionSetup | undefined {
  const origins: RuleOrigin[] = [];
  for (const rule of rules) {
    const origin = ruleOrigin(rule);
    if (!origin) return undefined;
    origins.push(origin);
  }
  if (detect.isAllowedSecret && !detect.allowSecrets) return undefined;
  return {
    rules: origins,
    ...(detect.showSecret !== undefined ? { showSecret: detect.showSecret } : {}),
    ...(detect.inlineAllow !== undefined ? { inlineAllow: detect.inlineAllow } : {}),
    ...(detect.allowSecrets ? { allowSecrets: detect.allowSecrets } : {}),
    ...(detect.keepSecret ? { keepSecrets: true } : {}),
    ...(detect.stages ? { stages: { ...detect.stages } } : {}),
  };
}

const builtinById = new Map(builtinRules.map((rule) => [rule.id, rule]));

/** Rules and detection options from their plain form, as the main thread built them from the config. */
export function buildDetection(setup: DetectionSetup, kept?: KeptSecrets): { rules: Rule[]; detect: DetectOptions } {
  const rules = setup.rules.map((origin) => {
    const base = origin.custom ? compileCustomRule(origin.custom, `customRules (${origin.id})`) : builtinById.get(origin.id);
    if (!base) throw new Error(`rule ${origin.id} is not a built-in rule`);
    return origin.level ? ruleWithLevel(base, origin.level) : base;
  });
  const allowed = setup.allowSecrets ? compileSecretAllowlist(setup.allowSecrets, 'allowSecrets') : undefined;
  return {
    rules,
    detect: {
      ...(setup.showSecret !== undefined ? { showSecret: setup.showSecret } : {}),
      ...(setup.inlineAllow !== undefined ? { inlineAllow: setup.inlineAllow } : {}),
      ...(allowed ? { isAllowedSecret: (secret: string) => allowed(secret), allowSecrets: setup.allowSecrets } : {}),
      ...(setup.keepSecrets && kept ? { keepSecret: (fingerprint: string, secret: string) => void kept.push([fingerprint, secret]) } : {}),
      ...(setup.stages ? { stages: setup.stages } : {}),
    },
  };
}
