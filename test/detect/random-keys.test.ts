import { builtinRules } from '../../rules';
import { detectFragment } from '../../src/detect/detect';
import { isPlaceholder, shannonEntropy } from '../../src/detect/entropy';
import type { Candidate, Rule } from '../../src/types';
import { KeyGenerator } from '../support/keys';

/** sfc32: a fast seeded 32-bit generator for a million bodies (the sha256-based KeyGenerator takes minutes). */
class FastRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private word = 0;
  private left = 0;

  constructor(seed: number) {
    this.a = seed | 0;
    this.b = 0x9e3779b9;
    this.c = 0x243f6a88;
    for (let i = 0; i < 16; i++) this.next();
  }

  private next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform byte. */
  byte(): number {
    if (this.left === 0) {
      this.word = this.next();
      this.left = 4;
    }
    this.left--;
    const b = this.word & 0xff;
    this.word >>>= 8;
    return b;
  }

  /** `n` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias). */
  pick(alphabet: string, n: number): string {
    const limit = 256 - (256 % alphabet.length);
    const codes = new Array<number>(n);
    for (let i = 0; i < n; ) {
      const b = this.byte();
      if (b < limit) codes[i++] = alphabet.charCodeAt(b % alphabet.length);
    }
    return String.fromCharCode(...codes);
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.byte();
    return out;
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uuidHex(r: FastRandom): string {
  const b = r.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b.toString('hex');
}

/** base64url DER ECDSA signature over P-256 (SEQUENCE { INTEGER r, INTEGER s }, 70-72 bytes), built in one buffer. */
const der = Buffer.alloc(72);
function derSignature(r: FastRandom): string {
  let at = 2;
  for (let n = 0; n < 2; n++) {
    const first = r.byte() || 1;
    const pad = first & 0x80 ? 1 : 0;
    der[at++] = 0x02;
    der[at++] = 32 + pad;
    if (pad) der[at++] = 0;
    der[at++] = first;
    for (let i = 1; i < 32; i++) der[at++] = r.byte();
  }
  der[0] = 0x30;
  der[1] = at - 2;
  return der.toString('base64url', 0, at);
}

const signedBody = (r: FastRandom): string => `H.${r.pick('DEHILMPRXY', 3 + (r.byte() % 6))}.${r.pick(ALNUM, 4)}.${derSignature(r)}`;

/** A random key of each kind, as its secret and the text (with its context) that makes it a finding. */
const KINDS: Record<string, { ruleId: string; make: (r: FastRandom) => string; line: (key: string) => string }> = {
  legacy: { ruleId: 'alibaba-model-studio-api-key', make: (r) => `sk-${uuidHex(r)}`, line: (k) => `DASHSCOPE_API_KEY=${k}` },
  'legacy, any hex': { ruleId: 'alibaba-model-studio-api-key', make: (r) => `sk-${r.bytes(16).toString('hex')}`, line: (k) => `DASHSCOPE_API_KEY=${k}` },
  signed: { ruleId: 'alibaba-model-studio-signed-api-key', make: (r) => `sk-ws-${signedBody(r)}`, line: (k) => `key = "${k}"` },
  'plan, hex': { ruleId: 'alibaba-model-studio-plan-api-key', make: (r) => `sk-sp-${uuidHex(r)}`, line: (k) => `token: ${k}` },
  'plan, signed': { ruleId: 'alibaba-model-studio-plan-api-key', make: (r) => `sk-sp-${signedBody(r)}`, line: (k) => `token: ${k}` },
  temporary: { ruleId: 'alibaba-model-studio-temporary-api-key', make: (r) => `st-${r.bytes(12 + 4 * (r.byte() % 4)).toString('hex')}`, line: (k) => `DASHSCOPE_TEMP_KEY=${k}` },
  'AccessKey ID': { ruleId: 'alibaba-cloud-access-key-id', make: (r) => `LTAI${r.pick(ALNUM, 12 + (r.byte() % 9))}`, line: (k) => `ALIBABA_CLOUD_ACCESS_KEY_ID=${k}` },
  'AccessKey secret': { ruleId: 'alibaba-cloud-access-key-secret', make: (r) => r.pick(ALNUM, 30), line: (k) => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${k}` },
};

const ruleById = new Map(builtinRules.map((rule) => [rule.id, rule]));
const MILLION = Object.keys(KINDS).filter((kind) => kind !== 'legacy, any hex');

/** Why the engine's filters would drop `secret` (undefined: kept), applied to the match as detectFragment does. */
function dropReason(rule: Rule, secret: string): string | undefined {
  const pattern = new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', ''));
  const m = pattern.exec(secret);
  if (!m?.groups || m.groups.secret !== secret) return 'pattern';
  const candidate: Candidate = { secret, body: m.groups.body ?? secret, groups: { ...m.groups }, line: '', window: '' };
  if (shannonEntropy(candidate.body) < rule.entropyFloor) return `entropy ${shannonEntropy(candidate.body)}`;
  const problem = rule.check?.(candidate);
  if (problem !== undefined) return problem;
  if (candidate.groups.sig === undefined && isPlaceholder(candidate.body)) return 'placeholder';
  return undefined;
}

describe('random keys of every kind pass every filter', () => {
  const COUNT = Number(process.env.RANDOM_KEYS ?? 1_000_000);

  // The filters run on bodies directly (the pattern is checked on every key by the end-to-end test below and on
  // one key in 1,000 here): a million keys of each kind in a few seconds.
  it.each(MILLION)('%s: a million random keys, none dropped by the entropy, structure or placeholder tests', (kind) => {
    const { ruleId, make } = KINDS[kind];
    const rule = ruleById.get(ruleId) as Rule;
    const pattern = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gd]/g, ''));
    const prefix = /^(?:sk-ws-|sk-sp-|sk-|st-|LTAI)/.exec(make(new FastRandom(1)))?.[0] ?? '';
    const r = new FastRandom(kind.length * 7919 + 10);
    const dropped: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const secret = make(r);
      const body = secret.slice(prefix.length);
      const sig = body.startsWith('H.') ? body.slice(body.lastIndexOf('.') + 1) : undefined;
      const groups = { secret, body, sig };
      const kept =
        shannonEntropy(body) >= rule.entropyFloor &&
        rule.check?.({ secret, body, groups, line: '', window: '' }) === undefined &&
        (sig !== undefined || !isPlaceholder(body)) &&
        (i % 1000 !== 0 || pattern.exec(secret)?.groups?.body === body);
      // Never the key itself in a message: why it was dropped, and its length.
      if (!kept) dropped.push(`${dropReason(rule, secret)} (${secret.length} characters)`);
    }
    expect(dropped).toEqual([]);
  });

  it.each(Object.keys(KINDS))('%s: 2,000 random keys in context, found end to end by detectFragment', (kind) => {
    const { ruleId, make, line } = KINDS[kind];
    const r = new FastRandom(kind.length * 104729 + 3);
    const keys = Array.from({ length: 2000 }, () => make(r));
    const text = keys.map((k) => `${line(k)}\n`).join('');
    const { findings } = detectFragment({ path: 'keys.env', bytes: Buffer.from(text) }, builtinRules, { showSecret: true });
    const mine = findings.filter((f) => f.ruleId === ruleId);
    expect(mine.map((f) => f.startLine)).toEqual(keys.map((_k, i) => i + 1));
    expect(mine.every((f, i) => f.secret === keys[i])).toBe(true);
  });

  it('the generator of the other tests makes keys of these shapes', () => {
    const gen = new KeyGenerator('random-keys');
    for (const key of [gen.legacy(), gen.signed(), gen.planHex(), gen.planSigned(), gen.temporary(), gen.accessKeyId(), gen.accessKeySecret()]) {
      const kind = Object.values(KINDS).find((k) => new RegExp(ruleById.get(k.ruleId)?.pattern.source ?? '').test(k.line(key)));
      expect(kind).toBeDefined();
    }
  });
});
