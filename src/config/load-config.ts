import path from 'node:path';
import { builtinRules } from '../../rules';
import schemaJson from '../../schema/ms-leakscan.schema.json';
import { UserError } from '../errors';
import type { Level, Rule } from '../types';
import { compilePathAllowlist, compileSecretAllowlist, type SecretAllowlist } from './allow';
import { checkRuleExamples, compileCustomRule, ruleWithLevel, type CustomRuleConfig } from './custom-rules';
import { describeReadError, readSmallFileSync } from '../sources/open-regular';
import { CONFIG_MAX_BYTES, type ConfigLocation } from './find-config';
import { childPath, validateConfigData } from './validate';
import { ConfigProblem } from './problem';

/** The configuration's JSON Schema (what editors complete from; validation runs the code generated from it). */
export const CONFIG_SCHEMA: object = schemaJson;

/** The configuration as written (validated against the schema). */
export interface ConfigData {
  $schema?: string;
  rules?: Record<string, 'off' | Level>;
  customRules?: CustomRuleConfig[];
  allowPaths?: string[];
  allowSecrets?: SecretAllowlist;
  failLevel?: Level;
  maxFileSize?: number;
  baseline?: string;
}

/** A configuration ready for a scan. */
export interface LoadedConfig {
  /** Absolute path of the file it came from. */
  file: string;
  /** The file as messages name it: relative to cwd when inside it. */
  display: string;
  data: ConfigData;
  /** Built-in and custom rules, with `rules` applied (disabled ones left out, levels replaced). */
  rules: Rule[];
  /** Absolute path → true when `allowPaths` excludes it. */
  isAllowedPath?: (absPath: string) => boolean;
  isAllowedSecret?: (secret: string) => boolean;
  /** Fingerprints of the custom rules' positive examples, which the config file itself holds. */
  exampleFingerprints: ReadonlySet<string>;
  /** Absolute path of the baseline the config names. */
  baseline?: string;
}

export function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** `line L, column C` of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function parseJson(text: string, display: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // V8 quotes up to ten characters of the text ("Unexpected token 's', "{"a": sk-0123456"... is not valid JSON"):
    // part of a key the scrubber cannot recognise, so the quote is left out.
    const message = (error as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    const position = /at position (\d+)/.exec(message);
    const where = position && !/\(line \d+/.test(message) ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
    throw new UserError(`config ${display}: not valid JSON: ${message}${where} — fix the syntax (JSON allows no comments or trailing commas)`);
  }
}

/** A config file written in YAML (by its name); package.json and `.ms-leakscan.json` are JSON. */
export function isYamlConfig(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/**
 * YAML 1.2 with the core schema only: no custom tags or types, duplicate keys refused, aliases capped (a
 * "billion laughs" file stays small). logLevel 'error' keeps the library from printing warnings itself (our output
 * edge could not scrub them). An empty file, or one of comments only, configures nothing.
 */
function parseYaml(text: string, display: string): unknown {
  // The yaml library is over a quarter of the CLI bundle: loaded when a YAML config is read, not at every start
  // (a pre-commit hook's run is mostly start-up).
  const { parse: parseYamlText } = require('yaml') as typeof import('yaml');
  try {
    const data = parseYamlText(text.replace(/^\uFEFF/, ''), { schema: 'core', uniqueKeys: true, maxAliasCount: 100, logLevel: 'error', prettyErrors: false });
    return data ?? {};
  } catch (error) {
    const { code, message, pos } = error as { code?: string; message?: string; pos?: [number, number] };
    const what = code === 'MULTIPLE_DOCS' ? 'it holds more than one YAML document (---)' : (message ?? String(error)).split('\n')[0];
    const where = pos ? ` (${lineAndColumn(text, pos[0])})` : '';
    throw new UserError(`config ${display}: not valid YAML: ${what}${where} — fix the syntax (or write the config as JSON)`);
  }
}

/** Applies `rules`: "off" drops a rule, a level replaces the level the rule would pick from context. */
function applyRuleSettings(rules: Rule[], settings: Record<string, 'off' | Level>, field: string): Rule[] {
  const known = new Set(rules.map((r) => r.id));
  for (const id of Object.keys(settings)) {
    if (!known.has(id)) throw new ConfigProblem(childPath(field, id), `is not a rule — use one of: ${[...known].join(', ')}`);
  }
  return rules.flatMap((rule): Rule[] => {
    const setting = settings[rule.id];
    if (setting === undefined) return [rule];
    if (setting === 'off') return [];
    return [ruleWithLevel(rule, setting)];
  });
}

function buildConfig(data: ConfigData, dir: string, prefix: string): Omit<LoadedConfig, 'file' | 'display' | 'data'> {
  const field = (name: string) => childPath(prefix, name);
  const ids = new Set(builtinRules.map((r) => r.id));
  const exampleFingerprints = new Set<string>();
  const custom = (data.customRules ?? []).map((raw, i) => {
    const where = `${field('customRules')}[${i}]`;
    if (ids.has(raw.id)) {
      throw new ConfigProblem(`${where}.id`, `${JSON.stringify(raw.id)} is already a rule — pick another id (change a built-in rule through "rules")`);
    }
    ids.add(raw.id);
    const rule = compileCustomRule(raw, where);
    for (const fingerprint of checkRuleExamples(rule, where)) exampleFingerprints.add(fingerprint);
    return rule;
  });
  const rules = applyRuleSettings([...builtinRules, ...custom], data.rules ?? {}, field('rules'));
  return {
    rules,
    ...(data.allowPaths?.length ? { isAllowedPath: compilePathAllowlist(data.allowPaths, dir, field('allowPaths')) } : {}),
    ...(data.allowSecrets ? { isAllowedSecret: compileSecretAllowlist(data.allowSecrets, field('allowSecrets')) } : {}),
    exampleFingerprints,
    ...(data.baseline ? { baseline: path.resolve(dir, data.baseline.replace(/\\/g, '/')) } : {}),
  };
}

/**
 * Reads, validates and compiles a configuration. Anything wrong stops with a UserError naming the file, the
 * field and what to change (exit 2): a scan never runs with half a configuration.
 */
export function loadConfig(location: ConfigLocation, cwd: string): LoadedConfig {
  const display = displayPath(cwd, location.file);
  let text: string;
  try {
    text = readSmallFileSync(location.file, CONFIG_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? 'check the path given to --config' : 'check its permissions';
    throw new UserError(`config ${display}: ${describeReadError(error, hint, 'the config file itself')}`);
  }
  return loadConfigText(text, location, display);
}

/**
 * Validates and compiles a configuration from its text, with the same checks as loadConfig (which reads the file
 * first): for a config read from elsewhere, such as a blob of a commit. `location.file` is where the configuration
 * counts as living (its folder anchors `allowPaths` and `baseline`); `display` names it in errors.
 */
export function loadConfigText(text: string, location: ConfigLocation, display: string): LoadedConfig {
  let data = isYamlConfig(location.file) ? parseYaml(text, display) : parseJson(text, display);
  const prefix = location.key ? childPath('', location.key) : '';
  if (location.key) data = (data as Record<string, unknown>)[location.key];
  const problems = validateConfigData(data, prefix);
  if (problems.length > 0) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new UserError(`config ${display}: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`);
  }
  try {
    const built = buildConfig(data as ConfigData, path.dirname(location.file), prefix);
    return { file: location.file, display, data: data as ConfigData, ...built };
  } catch (error) {
    if (error instanceof ConfigProblem) throw new UserError(`config ${display}: ${error.field}: ${error.message}`);
    throw error;
  }
}
