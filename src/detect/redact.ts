import { createHash } from 'node:crypto';

/** Fixed prefixes shown in clear, so a reader can tell key kinds apart without seeing the key. */
const PREFIXES = ['sk-ws-', 'sk-sp-', 'sk-', 'st-', 'LTAI'];

/**
 * `sk-a0…c3`: the kind's prefix, two characters, an ellipsis and the last two. Enough to find the key in a
 * console's masked list, far too little to use it.
 */
export function redactSecret(secret: string): string {
  const prefix = PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  const rest = secret.slice(prefix.length);
  if (rest.length <= 8) return `${prefix}…`;
  return `${prefix}${rest.slice(0, 2)}…${rest.slice(-2)}`;
}

/** sha256 of rule id and secret: never the line, path or commit, so it survives moves, renames and rebases. */
export function fingerprintSecret(ruleId: string, secret: string): string {
  return createHash('sha256').update(`${ruleId}\0${secret}`).digest('hex').slice(0, 40);
}
