import { builtinRules } from '../../rules';
import { redactSecret } from '../detect/redact';
import type { Rule } from '../types';

/**
 * Escapes that may stand right before a key in what we print and that end in a letter or digit, which the rules'
 * left-edge look-behinds would take for part of a word: ANSI colour codes (`\u001b[1m`), JSON `\uXXXX` escapes and
 * workflow-command escapes (`%0A`). They are blanked in a same-length shadow of the text before matching, so offsets
 * stay those of the text itself.
 */
const GLUE = /\u001b\[[0-9;]*[A-Za-z]|\\u[0-9a-fA-F]{4}|%[0-9A-F]{2}/g;

/**
 * A pattern's source without its look-arounds (`(?<!…)`, `(?<=…)`, `(?!…)`, `(?=…)`), which a rule uses to tell a
 * key from part of a word: in output, a key glued to a word (`staged-st-…`, `name-LTAI…_prod`) is still a key.
 */
export function withoutLookarounds(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (/^\(\?(?:<!|<=|!|=)/.test(source.slice(i, i + 4))) {
      let depth = 0;
      let inClass = false;
      for (; i < source.length; i++) {
        const c = source[i];
        if (c === '\\') i++;
        else if (inClass) inClass = c !== ']';
        else if (c === '[') inClass = true;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      continue;
    }
    out += source[i];
  }
  return out;
}

/**
 * A rule's pattern as a shape to mask: edges dropped where the key has a prefix of its own (`sk-`, `st-`, `LTAI`); a
 * shape without one (the 30 characters of an AccessKey secret) keeps them, or every longer run of letters and digits
 * (a commit id) would be masked.
 */
function shapeOf(rule: Rule): RegExp {
  const flags = rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`;
  const edgeless = new RegExp(withoutLookarounds(rule.pattern.source), flags);
  return edgeless.test('0123456789abcdef'.repeat(8)) ? new RegExp(rule.pattern.source, flags) : edgeless;
}

/** The built-in rules' shapes: every key we look for, whatever its context, entropy or the config's rule settings. */
const BUILTIN_SHAPES: readonly RegExp[] = builtinRules.map(shapeOf);
/** Custom rules' shapes, made once per rule. */
const customShapes = new WeakMap<Rule, RegExp>();
const BUILTIN_IDS = new Set(builtinRules.map((rule) => rule.id));

/**
 * Masks every substring of `text` that a built-in rule's pattern matches, or a custom rule's of `rules` (the
 * config's, once loaded: built-in rules among them add nothing), with the redacted form findings use (`sk-a0…c3`).
 * The one scrubber at the output edge: whatever data made a line (a commit subject, an author, a path, a config value
 * quoted in an error), no whole key reaches standard output, standard error or a report file. A built-in key is made
 * of letters, digits and `-_.`, and its redacted form only adds an ellipsis, so JSON and SARIF stay valid.
 */
export function scrubSecrets(text: string, rules: readonly Rule[] = []): string {
  const custom = rules.filter((rule) => !BUILTIN_IDS.has(rule.id));
  if (text.length < 16 && custom.length === 0) return text; // shorter than any built-in key
  const shadow = text.replace(GLUE, (escape) => ' '.repeat(escape.length));
  const spans: Array<[number, number]> = [];
  const mask = (pattern: RegExp, isCustom: boolean): void => {
    pattern.lastIndex = 0;
    for (const match of shadow.matchAll(pattern)) {
      const span = match.indices?.groups?.secret ?? [match.index, match.index + match[0].length];
      // A custom key may hold a quote or backslash, which JSON escapes: masked up to it, so the escape stays whole.
      const end = isCustom ? span[0] + (/["\\]/.exec(shadow.slice(span[0], span[1]))?.index ?? span[1] - span[0]) : span[1];
      if (end > span[0]) spans.push([span[0], end]);
    }
  };
  for (const pattern of BUILTIN_SHAPES) mask(pattern, false);
  for (const rule of custom) {
    let shape = customShapes.get(rule);
    if (!shape) customShapes.set(rule, (shape = shapeOf(rule)));
    mask(shape, true);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue; // inside a span already masked (an AccessKey ID's body also fits another shape)
    const from = Math.max(start, at);
    out += text.slice(at, from) + redactSecret(text.slice(from, end));
    at = end;
  }
  return out + text.slice(at);
}

/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A value from data (a path, a commit subject, an author, a message quoting either) made safe for one line of a
 * terminal or CI log: control characters become visible escapes (`\n`, `\x1b`, `\u202e`), so data can neither start
 * a line of its own (a `::error::` workflow command) nor send escape sequences to the terminal.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`));
}
