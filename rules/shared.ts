import type { ContextSignals, Verdict } from '../src/types';

/** Hex digits, both cases, that make the byte `high`·16 + low for each low digit not in `excluded`. */
function lowDigits(high: number, excluded: RegExp): string[] {
  const digits: string[] = [];
  for (let low = 0; low < 16; low++) if (!excluded.test(String.fromCharCode(high * 16 + low))) digits.push(low.toString(16));
  return digits;
}

/**
 * Lookbehind for an escape (`%XX`, `\xXX`, `\u00XX`, or `\uXXXX` above ASCII) whose character would itself be a
 * left edge, i.e. is not matched by `glued` (the characters a key may not follow). `%22sk-…`, `Bearer%20sk-…` and
 * `\u0022sk-…` are keys in place; `%41sk-…` ("Ask-") stays glued to a word, as the raw text would be. Hex and
 * base64 runs hold no `%` or backslash, so they gain nothing from this.
 */
export function escapeEdge(glued: RegExp): string {
  const ascii: string[] = [];
  for (let high = 0; high < 8; high++) {
    const low = lowDigits(high, glued);
    if (low.length === 16) ascii.push(`${high}[0-9A-Fa-f]`);
    else if (low.length > 0) ascii.push(`${high}[${low.map((d) => (d >= 'a' ? d + d.toUpperCase() : d)).join('')}]`);
  }
  const byte = `(?:${ascii.join('|')})`;
  return `(?<=%${byte}|\\\\x${byte}|\\\\u(?:00${byte}|(?!00)[0-9A-Fa-f]{4}))`;
}

/**
 * Left edge of a key: not glued to a preceding word ("task-", "first-") — but a string escape (`\n`, `\t`, `\r`)
 * right before the key is an edge too: JSON and notebook outputs write `"key:\nsk-…"`; so is an escaped
 * delimiter (`%22`, `%3D`, `%20`, `\u0022`: proxy logs, HAR files, escaped JSON).
 */
export function leftEdge(glued: RegExp): string {
  return `(?:(?<!${glued.source})|(?<=\\\\[nrt])|${escapeEdge(glued)})`;
}

export const LEFT = leftEdge(/[A-Za-z0-9_]/);

export const SIGNED_BODY = 'H\\.[A-Z]{2,12}\\.[A-Za-z0-9]{2,8}\\.(?<sig>[A-Za-z0-9_-]{60,140})';

export const TAGS = ['security', 'secret', 'credential', 'alibaba-cloud', 'model-studio'] as const;

/**
 * Which vendor the names around a key favour: the closer hint wins; among nearby lines, the fewer lines away (a
 * config listing DeepSeek and Model Studio blocks one after the other); equally close hints leave it open.
 */
function favouredByName(context: ContextSignals): 'model-studio' | 'other' | 'unknown' {
  if (context.modelStudio > context.otherVendor) return 'model-studio';
  if (context.otherVendor > context.modelStudio) return 'other';
  const ms = context.modelStudioLines;
  const other = context.otherVendorLines;
  if (ms !== undefined && other !== undefined && ms !== other) return ms < other ? 'model-studio' : 'other';
  return 'unknown';
}

/**
 * True when the key's assignment block sends it to a Model Studio host or base URL and to no other vendor's host:
 * where a key is sent is stronger evidence than what its variable is called (READMEs document
 * `DEEPSEEK_API_KEY=<your Bailian key>` with `DEEPSEEK_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1`).
 */
function sentToModelStudio(context: ContextSignals): boolean {
  return context.modelStudioEndpoint === true && context.otherVendorEndpoint !== true;
}

/** Which vendor the context favours: where the key is sent, then the names around it. */
export function favouredVendor(context: ContextSignals): 'model-studio' | 'other' | 'unknown' {
  return sentToModelStudio(context) ? 'model-studio' : favouredByName(context);
}

/**
 * The message note for a key whose names say another vendor but whose block sends it to Model Studio, or undefined
 * when the names agree (or no endpoint decided).
 */
export function sentDespiteNameNote(context: ContextSignals): string | undefined {
  if (!sentToModelStudio(context) || context.otherVendor === 0 || favouredByName(context) === 'model-studio') return undefined;
  return `named as a ${context.otherVendorName ?? 'another vendor\'s'} key but sent to Model Studio's endpoint`;
}

/** Confidence from how close the Model Studio hint is. */
export function modelStudioVerdict(context: ContextSignals, level: Verdict['level']): Verdict {
  return { level, confidence: context.modelStudio >= 2 ? 'high' : 'medium' };
}

const REVOKE =
  'Treat it as compromised: once pushed, removing the line does not remove the key from git history or from clones. ' +
  'Rotate it now: in the Model Studio console for {region}, open the API Key page, reset or delete this key and create a new one';

export const MODEL_STUDIO_REMEDIATION =
  `${REVOKE}; then load the new key from the environment (DASHSCOPE_API_KEY) or a secret manager, never from code. ` +
  'Limit the damage of future leaks with the key\'s IP allowlist and model scope (not offered in US (Virginia)).';

export const PLAN_REMEDIATION =
  'Treat it as compromised: once pushed, removing the line does not remove the key from git history or from clones. ' +
  'Reset this Token Plan / Coding Plan key on the plan\'s API Key page in the Model Studio console for {region}, ' +
  'and keep the new one in the coding tool\'s own settings or an environment variable, never in a repository.';
