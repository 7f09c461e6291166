import { regionName } from '../detect/regions';
import type { Verification } from '../types';

/** One phrase for reports: "verified live in Singapore", "verified invalid (refused in …)", "not verified: …". */
export function describeVerification(v: Verification): string {
  switch (v.status) {
    case 'live':
      return `verified live in ${regionName(v.region) ?? 'a region'}${v.reason ? ` (${v.reason})` : ''}`;
    case 'invalid':
      return `verified invalid${v.reason ? ` (${v.reason})` : ''}`;
    case 'unknown':
      return `verification inconclusive${v.reason ? ` (${v.reason})` : ''}`;
    case 'skipped':
      return `not verified${v.reason ? `: ${v.reason}` : ''}`;
  }
}

/** The same as a sentence, for messages: "Verified live in Singapore." */
export function verificationSentence(v: Verification): string {
  const text = describeVerification(v);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
