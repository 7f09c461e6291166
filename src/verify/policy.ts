import type { Finding } from '../types';

/** Rules whose keys --verify checks: pay-as-you-go keys, legacy and signed. */
export const LEGACY_RULE = 'alibaba-model-studio-api-key';
export const SIGNED_RULE = 'alibaba-model-studio-signed-api-key';

/** Why the other built-in kinds are never sent anywhere. */
const NEVER_SENT: Record<string, string> = {
  'alibaba-model-studio-plan-api-key': 'plan key: the vendor may disable a plan key used outside its coding tools',
  'alibaba-model-studio-temporary-api-key': 'temporary key: short-lived, never sent',
  'alibaba-cloud-access-key-id': 'AccessKey: checking one takes a signed management-API call',
  'alibaba-cloud-access-key-secret': 'AccessKey: checking one takes a signed management-API call',
};

export const AMBIGUOUS_VENDOR = 'ambiguous vendor context: it may be a DeepSeek key, which must not go to Alibaba Cloud';

/**
 * A legacy key whose context does not favour Model Studio: the rule reports it at low confidence as "Model Studio
 * or DeepSeek key" (rules/model-studio-api-key.ts, the `default` branch of classify); every other verdict of that
 * rule needs a Model Studio hint closer than any other vendor's.
 */
function isAmbiguous(finding: Finding): boolean {
  return finding.ruleId === LEGACY_RULE && finding.confidence === 'low';
}

/**
 * Whether the key behind these findings (one fingerprint, one or more places) may be sent to the vendor: a reason
 * to skip it, or undefined. A legacy key is sent when at least one of its places names Model Studio: the same key
 * cannot be two vendors', so that place settles it for the others.
 */
export function skipReason(findings: readonly Finding[]): string | undefined {
  const ruleId = findings[0].ruleId;
  if (ruleId in NEVER_SENT) return NEVER_SENT[ruleId];
  if (ruleId !== LEGACY_RULE && ruleId !== SIGNED_RULE) return 'not a built-in Model Studio API key rule';
  if (findings.every(isAmbiguous)) return AMBIGUOUS_VENDOR;
  return undefined;
}
