import { builtinRules } from '../../rules';
import type { ContextSignals, Candidate } from '../types';
import { detectFragment } from '../detect/detect';
import { isPlaceholder, shannonEntropy } from '../detect/entropy';
import type { Level, Rule, RuleExample } from '../types';
import { ConfigProblem } from './problem';

/** An example as written in the config; `span` only on positives (schema: definitions.positiveExample). */
export type ExampleConfig = string | { text: string; level?: Level; span?: { line: number; column: number; endColumn: number }; why?: string };

/** A custom rule as written in the config (see schema/ms-leakscan.schema.json, definitions.customRule). */
export interface CustomRuleConfig {
  id: string;
  name?: string;
  title: string;
  description?: string;
  pattern: string;
  flags?: string;
  keywords: string[];
  window?: number;
  entropyFloor?: number;
  level?: Level;
  remediation?: string;
  examples: { positive: ExampleConfig[]; negative?: ExampleConfig[] };
}

const DEFAULT_REMEDIATION =
  'Treat it as compromised: revoke or rotate it where it was issued, then load the new one from the environment or a secret manager, never from code.';

const SEVERITY: Record<Level, string> = { error: '8.0', warning: '5.0', note: '2.0' };

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());
}

function toExample(example: ExampleConfig): RuleExample {
  return typeof example === 'string' ? { text: example } : { ...example };
}

/** The pattern as the engine needs it: global, with indices, and a `secret` group (the whole match by default). */
function compilePattern(raw: CustomRuleConfig, field: string): RegExp {
  let source = raw.pattern;
  if (!/\(\?<secret>/.test(source)) {
    if (/\\[1-9]/.test(source)) {
      throw new ConfigProblem(`${field}.pattern`, 'uses numbered backreferences without a (?<secret>…) group — add the group or use named backreferences');
    }
    source = `(?<secret>${source})`;
  }
  const flags = [...new Set(`${raw.flags ?? ''}gd`)].join('');
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch (error) {
    throw new ConfigProblem(`${field}.pattern`, `is not a valid JavaScript regular expression (${(error as Error).message}) — fix it`);
  }
  if (new RegExp(source, flags.replace('g', '')).exec('')?.groups?.secret === '') {
    throw new ConfigProblem(`${field}.pattern`, 'matches an empty string — make the secret at least one character long');
  }
  return pattern;
}

/**
 * What a rule is made from, as plain data (it crosses to worker threads, where functions cannot): a built-in rule's
 * id or a custom rule's config, and the level the config sets for it.
 */
export interface RuleOrigin {
  id: string;
  level?: Level;
  custom?: CustomRuleConfig;
}

const origins = new WeakMap<Rule, RuleOrigin>();

/** The plain data a rule was made from, or undefined for a rule made some other way (a program's own Rule object). */
export function ruleOrigin(rule: Rule): RuleOrigin | undefined {
  return origins.get(rule) ?? (builtinRules.includes(rule) ? { id: rule.id } : undefined);
}

/** The rule with its level set by the config: every verdict it gives is at that level. */
export function ruleWithLevel(rule: Rule, level: Level): Rule {
  const classify = rule.classify;
  const levelled: Rule = {
    ...rule,
    defaultLevel: level,
    classify: (candidate: Candidate, context: ContextSignals) => {
      const verdict = classify ? classify(candidate, context) : { level, confidence: 'high' as const };
      return verdict && { ...verdict, level };
    },
  };
  const origin = ruleOrigin(rule);
  if (origin) origins.set(levelled, { ...origin, level });
  return levelled;
}

/** A rule of the engine from its config form; its examples are checked by `checkRuleExamples`. */
export function compileCustomRule(raw: CustomRuleConfig, field: string): Rule {
  const rule = compileCustomRuleOnly(raw, field);
  origins.set(rule, { id: raw.id, custom: raw });
  return rule;
}

function compileCustomRuleOnly(raw: CustomRuleConfig, field: string): Rule {
  const level = raw.level ?? 'warning';
  return {
    id: raw.id,
    name: raw.name ?? pascalCase(raw.id),
    title: raw.title,
    description: raw.description ?? raw.title,
    keywords: [...raw.keywords],
    pattern: compilePattern(raw, field),
    ...(raw.window !== undefined ? { window: raw.window } : {}),
    entropyFloor: raw.entropyFloor ?? 0,
    defaultLevel: level,
    remediation: raw.remediation ?? DEFAULT_REMEDIATION,
    precision: 'medium',
    securitySeverity: SEVERITY[level],
    tags: ['security', 'secret', 'custom'],
    examples: { positive: raw.examples.positive.map(toExample), negative: (raw.examples.negative ?? []).map(toExample) },
  };
}

/** Why a positive example was not found, in the engine's order: prefilter, pattern, entropy, placeholder. */
function whyNotFound(rule: Rule, text: string): string {
  if (!rule.keywords.some((k) => text.includes(k))) return `contains none of the keywords (${rule.keywords.map((k) => JSON.stringify(k)).join(', ')})`;
  const match = new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', '')).exec(text);
  if (!match?.groups?.secret) return 'does not match the pattern';
  const body = match.groups.body ?? match.groups.secret;
  const entropy = shannonEntropy(body);
  if (entropy < rule.entropyFloor) return `matches, but its entropy ${entropy.toFixed(2)} is below entropyFloor ${rule.entropyFloor}`;
  if (isPlaceholder(body)) return 'matches, but looks like a placeholder (***, a word such as example, two words such as your and secret, a body that repeats itself, or a run of 10 sequential or repeated characters)';
  return 'matches, but is not reported';
}

/**
 * Runs a rule over its own examples — the one checker of built-in rules' examples (test/rule-examples.test.ts) and
 * of custom rules' (when the config loads): every positive must be found (at its level and span, when given), no
 * negative may be. Returns the fingerprints of the positives' secrets, so the config file itself does not report them.
 */
export function checkRuleExamples(rule: Rule, field: string): string[] {
  const fingerprints: string[] = [];
  const detect = (text: string) => detectFragment({ path: 'example', bytes: Buffer.from(text) }, [rule], { inlineAllow: false }).findings;
  rule.examples.positive.forEach((example, i) => {
    const where = `${field}.examples.positive[${i}]`;
    const findings = detect(example.text);
    if (findings.length === 0) {
      throw new ConfigProblem(where, `rule ${rule.id} does not find this example: it ${whyNotFound(rule, example.text)} — fix the rule or the example`);
    }
    if (example.level && !findings.some((f) => f.level === example.level)) {
      throw new ConfigProblem(where, `rule ${rule.id} finds this example at level ${findings[0].level}, not ${example.level} — fix the level`);
    }
    const span = example.span;
    if (span && !findings.some((f) => f.startLine === span.line && f.endLine === span.line && f.startColumn === span.column && f.endColumn === span.endColumn)) {
      const found = findings.map((f) => `${f.startLine}:${f.startColumn}-${f.endColumn}`).join(', ');
      throw new ConfigProblem(where, `rule ${rule.id} finds this example at ${found}, not at ${span.line}:${span.column}-${span.endColumn} — fix the span or the pattern's secret group`);
    }
    for (const finding of findings) fingerprints.push(finding.fingerprint);
  });
  rule.examples.negative.forEach((example, i) => {
    if (detect(example.text).length > 0) {
      throw new ConfigProblem(`${field}.examples.negative[${i}]`, `rule ${rule.id} reports this example, which must not be found — tighten the pattern or move the example to positive`);
    }
  });
  return fingerprints;
}
