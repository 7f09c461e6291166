import { regionName } from '../detect/regions';
import type { Finding, Verification } from '../types';
import { checkKeyAt, type RegionAnswer } from './check-key';
import { productionEndpoints, REGION_ORDER, type Endpoint, type VerifyTransport } from './endpoints';
import { SIGNED_RULE, skipReason } from './policy';
import { proxyFor, proxySettings } from './proxy';
import { VERIFIABLE_SHAPE } from './secret-vault';

export interface VerifyOptions {
  /** Proxy settings are read from here (HTTPS_PROXY, NO_PROXY). */
  env: NodeJS.ProcessEnv;
  /** Tests only: other endpoints, CA and timeout (see VerifyTransport). */
  transport?: VerifyTransport;
}

/** Keys checked at once: a few, so a history with many keys neither floods the vendor nor trips its rate limit. */
const KEYS_IN_FLIGHT = 4;
/** A request that takes longer tells nothing useful (the endpoint answers in well under a second). */
const DEFAULT_TIMEOUT_MS = 5000;
/** Distinct keys checked per scan at most; the rest are reported unknown, so time and traffic stay bounded. */
export const MAX_KEYS = 100;

/** Regions to try, in order: those the findings' context names, then Beijing, Singapore, Virginia, Hong Kong. */
export function regionsToTry(findings: readonly Finding[], endpoints: Readonly<Record<string, Endpoint>>): string[] {
  const named = findings.map((f) => f.region).filter((r): r is string => r !== undefined && r in endpoints);
  const order = [...new Set([...named, ...REGION_ORDER])].filter((r) => r in endpoints);
  // Signed keys are not issued in US (Virginia): it would only be one more place the key is sent to for nothing.
  return findings[0].ruleId === SIGNED_RULE ? order.filter((r) => r !== 'us-east-1') : order;
}

/** Regions the context names that have no endpoint to check (Tokyo, Frankfurt: workspace hosts only). */
function uncheckedRegions(findings: readonly Finding[], endpoints: Readonly<Record<string, Endpoint>>): string[] {
  return [...new Set(findings.map((f) => f.region).filter((r): r is string => r !== undefined && !(r in endpoints)))];
}

/** What the answers of every region tried add up to. */
export function conclude(answers: readonly [string, RegionAnswer][], unchecked: readonly string[]): Verification {
  const live = answers.find(([, a]) => a.kind === 'live');
  if (live) {
    const detail = (live[1] as { detail?: string }).detail;
    return { status: 'live', region: live[0], ...(detail ? { reason: detail } : {}) };
  }
  const refused = answers.filter(([, a]) => a.kind === 'invalid').map(([r]) => regionName(r));
  const failed = answers.filter(([, a]) => a.kind !== 'invalid').map(([r, a]) => `${regionName(r)}: ${a.detail}`);
  const refusedText = refused.length ? `refused in ${refused.join(', ')}` : '';
  if (failed.length === 0 && unchecked.length === 0 && refused.length > 0) return { status: 'invalid', reason: refusedText };
  const parts = [...failed, ...(refusedText ? [refusedText] : [])];
  if (unchecked.length) parts.push(`${unchecked.map((r) => regionName(r)).join(', ')} cannot be checked (workspace hosts only)`);
  return { status: 'unknown', reason: parts.join('; ') || 'no region to check' };
}

/** Runs `task` over `items`, `limit` at a time, in order of start. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Checks each distinct key of `findings` once (by fingerprint) against the regions' read-only models endpoint and
 * returns the findings with their `verification`. Keys come from `secretOf`; findings stay redacted. Plan,
 * temporary and ambiguous keys and AccessKeys are never sent (status skipped). A network error gets one retry;
 * a timeout none. Nothing is logged: the outcome is on the findings.
 */
export async function verifyFindings(
  findings: readonly Finding[],
  secretOf: (fingerprint: string) => string | undefined,
  options: VerifyOptions,
): Promise<Finding[]> {
  const proxies = proxySettings(options.env);
  const endpoints = options.transport?.endpoints ?? productionEndpoints();
  const timeoutMs = options.transport?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.fingerprint);
    if (group) group.push(f);
    else groups.set(f.fingerprint, [f]);
  }

  const outcome = new Map<string, Verification>();
  const toCheck: [string, Finding[], string][] = [];
  for (const [fingerprint, group] of groups) {
    const skip = skipReason(group);
    const key = skip === undefined ? secretOf(fingerprint) : undefined;
    if (skip !== undefined) outcome.set(fingerprint, { status: 'skipped', reason: skip });
    else if (key === undefined) outcome.set(fingerprint, { status: 'unknown', reason: 'the key was not kept for checking' });
    // The vault keeps only these shapes; a programmatic caller's own secretOf is held to them as well.
    else if (!VERIFIABLE_SHAPE.test(key)) outcome.set(fingerprint, { status: 'skipped', reason: 'not in a shape the vendor issues' });
    else if (toCheck.length >= MAX_KEYS) outcome.set(fingerprint, { status: 'unknown', reason: `not checked: more than ${MAX_KEYS} distinct keys in one scan` });
    else toCheck.push([fingerprint, group, key]);
  }

  await eachLimited(toCheck, KEYS_IN_FLIGHT, async ([fingerprint, group, key]) => {
    const answers: [string, RegionAnswer][] = [];
    for (const region of regionsToTry(group, endpoints)) {
      const endpoint = endpoints[region];
      const check = { timeoutMs, proxy: proxyFor(endpoint, proxies), ...(options.transport?.ca ? { ca: options.transport.ca } : {}) };
      let answer = await checkKeyAt(endpoint, key, check);
      if (answer.kind === 'network' && answer.retryable) answer = await checkKeyAt(endpoint, key, check);
      answers.push([region, answer]);
      if (answer.kind === 'live') break;
    }
    outcome.set(fingerprint, conclude(answers, uncheckedRegions(group, endpoints)));
  });
  return findings.map((f) => ({ ...f, verification: outcome.get(f.fingerprint) as Verification }));
}
