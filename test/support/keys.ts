import { createHash } from 'node:crypto';

/**
 * Synthetic key generator for tests. Deterministic (seeded), so fixtures and snapshots are stable.
 * Every key it makes has the shape of a real one and is not, and was never, a real key.
 */
export class KeyGenerator {
  private counter = 0;

  constructor(private readonly seed = 'ms-leakscan') {}

  /** `n` pseudo-random bytes from sha256(seed, counter). */
  bytes(n: number): Buffer {
    const chunks: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const block = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
      chunks.push(block);
      have += block.length;
    }
    return Buffer.concat(chunks).subarray(0, n);
  }

  private pick(alphabet: string, n: number): string {
    return [...this.bytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
  }

  /** 32 hex shaped as a dash-less UUIDv4. */
  uuidHex(): string {
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return b.toString('hex');
  }

  /** 32 hex that is not UUIDv4-shaped (Baichuan keys, hashes). */
  hex32(): string {
    const hex = this.bytes(16).toString('hex').split('');
    hex[12] = 'c';
    return hex.join('');
  }

  legacy(): string {
    return `sk-${this.uuidHex()}`;
  }

  /** base64url DER ECDSA signature over P-256: SEQUENCE { INTEGER r, INTEGER s }, 70-72 bytes. */
  derSignature(): string {
    const int = (): Buffer => {
      const v = this.bytes(32);
      if (v[0] === 0) v[0] = 1;
      return v[0] & 0x80 ? Buffer.concat([Buffer.from([0x02, 33, 0]), v]) : Buffer.concat([Buffer.from([0x02, 32]), v]);
    };
    const body = Buffer.concat([int(), int()]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url');
  }

  signedBody(): string {
    const letters = this.pick('DEHILMPRXY', 5);
    const alnum = this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 4);
    return `H.${letters}.${alnum}.${this.derSignature()}`;
  }

  signed(): string {
    return `sk-ws-${this.signedBody()}`;
  }

  planHex(): string {
    return `sk-sp-${this.uuidHex()}`;
  }

  planSigned(): string {
    return `sk-sp-${this.signedBody()}`;
  }

  temporary(): string {
    return `st-${this.bytes(16).toString('hex')}`;
  }

  accessKeyIdBody(): string {
    return `5t${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 18)}`;
  }

  accessKeyId(): string {
    return `LTAI${this.accessKeyIdBody()}`;
  }

  accessKeySecret(): string {
    // Always mixed-case with a digit, like issued secrets.
    return `${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1)}${this.pick('abcdefghijklmnopqrstuvwxyz', 1)}${this.pick('0123456789', 1)}${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 27)}`;
  }

  /** A legacy key with a run of five equal hex digits, as one real key in ~2,300 has. */
  legacyWithRun(): string {
    const body = this.uuidHex().split('');
    body.splice(20, 5, ...'fffff');
    return `sk-${body.join('')}`;
  }

  /** A signed key (`sk-ws-` or `sk-sp-`) whose random signature happens to spell a placeholder word. */
  signedWithWord(prefix: 'sk-ws-' | 'sk-sp-'): string {
    for (;;) {
      const body = this.signedBody();
      if (/fake|your|xxxx/i.test(body.slice(body.lastIndexOf('.')))) return `${prefix}${body}`;
    }
  }

  /** An AccessKey secret whose random letters spell "yOUr" in mixed case. */
  accessKeySecretWithWord(): string {
    const secret = this.accessKeySecret();
    return `${secret.slice(0, 10)}yOUr${secret.slice(14)}`;
  }

  /** Look-alikes of other vendors and broken forms of ours. */
  signedTruncated(): string {
    return this.signed().slice(0, 70);
  }

  signedBadSignature(): string {
    return `sk-ws-H.LDHID.Ab12.ME${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 92)}`;
  }

  planTruncated(): string {
    return this.planSigned().slice(0, 60);
  }

  windsurf(): string {
    return `sk-ws-01-${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 94)}`;
  }

  moonshot(): string {
    return `sk-${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 48)}`;
  }

  minimax(): string {
    return `sk-cp-${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 60)}`;
  }

  /** SiliconFlow: `sk-` + 48 lowercase letters. */
  siliconflow(): string {
    return `sk-${this.pick('abcdefghijklmnopqrstuvwxyz', 48)}`;
  }

  /** OpenAI project / service-account / admin keys: `sk-<kind>-` … `T3BlbkFJ` …. */
  openai(kind: 'proj' | 'svcacct' | 'admin'): string {
    const part = (n: number): string => this.pick(`${ALNUM}_-`, n);
    return `sk-${kind}-${part(74)}T3BlbkFJ${part(74)}`;
  }

  /** Anthropic: `sk-ant-api03-` + 93 base64url + `AA`. */
  anthropic(): string {
    return `sk-ant-api03-${this.pick(`${ALNUM}_-`, 93)}AA`;
  }

  /** OpenRouter: `sk-or-v1-` + 64 hex. */
  openrouter(): string {
    return `sk-or-v1-${this.bytes(32).toString('hex')}`;
  }

  /** Tencent (Hunyuan) `sk-tp-` keys. */
  tencent(): string {
    return `sk-tp-${this.pick(ALNUM, 48)}`;
  }

  /** Zhipu: `<32 hex>.<16 alphanumerics>`. */
  zhipu(): string {
    return `${this.bytes(16).toString('hex')}.${this.pick(ALNUM, 16)}`;
  }

  /** Hex digest of `bytes` random bytes (md5 16, sha1 20, sha256 32). */
  hexDigest(bytes: number): string {
    return this.bytes(bytes).toString('hex');
  }

  /** A package-lock `integrity` value. */
  integrity(): string {
    return `sha512-${this.bytes(64).toString('base64')}`;
  }

  /** Model Studio workspace ID, `llm-` + 16 lowercase alphanumerics. */
  workspaceId(): string {
    return `llm-${this.pick('abcdefghijklmnopqrstuvwxyz0123456789', 16)}`;
  }

  /** A Google OAuth client secret (`GOCSPX-` + 28), a name-alike of the AccessKey secret. */
  googleClientSecret(): string {
    return `GOCSPX-${this.pick(`${ALNUM}_-`, 28)}`;
  }

  /** An AWS secret access key: 40 characters of base64. */
  awsSecret(): string {
    return this.bytes(30).toString('base64');
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Exactly `n` characters of minified-looking JavaScript holding no key, keyword or context word: the bulk of
 * a bundle's one long line.
 */
export function minifiedFiller(n: number): string {
  const unit = 'function r(e,t){return e&&t?e.map(function(n){return n+t}):[]}var o=r([1,2,3],4),i={a:o,b:"x"};';
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/** Template tokens used by rule examples and fixture templates, e.g. `{{legacy}}`. */
export const TOKENS: Record<string, (g: KeyGenerator) => string> = {
  legacy: (g) => g.legacy(),
  hex32: (g) => g.hex32(),
  ws: (g) => g.signed(),
  'legacy-run': (g) => g.legacyWithRun(),
  'ws-word': (g) => g.signedWithWord('sk-ws-'),
  'sp-word': (g) => g.signedWithWord('sk-sp-'),
  'ws-truncated': (g) => g.signedTruncated(),
  'ws-badsig': (g) => g.signedBadSignature(),
  'sp-hex': (g) => g.planHex(),
  'sp-signed': (g) => g.planSigned(),
  'sp-truncated': (g) => g.planTruncated(),
  st: (g) => g.temporary(),
  ltai: (g) => g.accessKeyId(),
  'ltai-body': (g) => g.accessKeyIdBody(),
  'ak-secret': (g) => g.accessKeySecret(),
  'ak-secret-word': (g) => g.accessKeySecretWithWord(),
  windsurf: (g) => g.windsurf(),
  moonshot: (g) => g.moonshot(),
  minimax: (g) => g.minimax(),
  uuid: (g) => g.uuidHex().replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
  'uuid-hex': (g) => g.uuidHex(),
  // DeepSeek issues keys of exactly the legacy form; the token says which vendor the fixture means.
  deepseek: (g) => g.legacy(),
  siliconflow: (g) => g.siliconflow(),
  'openai-proj': (g) => g.openai('proj'),
  'openai-svcacct': (g) => g.openai('svcacct'),
  'openai-admin': (g) => g.openai('admin'),
  anthropic: (g) => g.anthropic(),
  openrouter: (g) => g.openrouter(),
  tencent: (g) => g.tencent(),
  zhipu: (g) => g.zhipu(),
  md5: (g) => g.hexDigest(16),
  sha1: (g) => g.hexDigest(20),
  sha256: (g) => g.hexDigest(32),
  integrity: (g) => g.integrity(),
  'workspace-id': (g) => g.workspaceId(),
  'google-secret': (g) => g.googleClientSecret(),
  'aws-secret': (g) => g.awsSecret(),
  // An OSS URL signature: base64 of an HMAC-SHA1, percent-encoded as a query value.
  'oss-signature': (g) => encodeURIComponent(g.bytes(20).toString('base64')),
  'filler-100k': () => minifiedFiller(100_000),
};

/** Tokens that stand for one of our key kinds (the others are look-alikes or filler). */
export const KEY_TOKENS: ReadonlySet<string> = new Set(['legacy', 'ws', 'sp-hex', 'sp-signed', 'st', 'ltai', 'ak-secret']);

export interface Expanded {
  text: string;
  /** Each token's value, in order of appearance. */
  values: { token: string; value: string }[];
}

/** Replaces every `{{token}}` with a fresh synthetic value. */
export function expandTemplate(template: string, gen: KeyGenerator): Expanded {
  const values: Expanded['values'] = [];
  const text = template.replace(/\{\{([a-z0-9-]+)\}\}/g, (whole, token: string) => {
    const make = TOKENS[token];
    if (!make) throw new Error(`unknown template token ${whole}`);
    const value = make(gen);
    values.push({ token, value });
    return value;
  });
  return { text, values };
}
