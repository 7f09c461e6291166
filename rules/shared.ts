import type { ContextSignals, Verdict } from '../src/types';

/**
 * Left edge of a key: not glued to a preceding word ("task-", "first-") — but a string escape (`\n`, `\t`, `\r`)
 * right before the key is an edge too: JSON and notebook outputs write `"key:\nsk-…"`.
 */
export const LEFT = '(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrt]))';

/**
 * Body of the upgraded, signed keys (observed): `H.<letters>.<4 alphanumerics>.<base64url DER signature>`.
 * Lengths are looser than observed on purpose: the DER check, not the regex, decides.
 */
export const SIGNED_BODY = 'H\\.[A-Z]{2,12}\\.[A-Za-z0-9]{2,8}\\.(?<sig>[A-Za-z0-9_-]{60,140})';

export const TAGS = ['security', 'secret', 'credential', 'alibaba-cloud', 'model-studio'] as const;

/**
 * Which vendor the context favours: the closer hint wins; among nearby lines, the fewer lines away (a config
 * listing DeepSeek and Model Studio blocks one after the other); equally close hints leave it open.
 */
export function favouredVendor(context: ContextSignals): 'model-studio' | 'other' | 'unknown' {
  if (context.modelStudio > context.otherVendor) return 'model-studio';
  if (context.otherVendor > context.modelStudio) return 'other';
  const ms = context.modelStudioLines;
  const other = context.otherVendorLines;
  if (ms !== undefined && other !== undefined && ms !== other) return ms < other ? 'model-studio' : 'other';
  return 'unknown';
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
