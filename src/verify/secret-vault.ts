/** Shapes of the keys --verify may send: a legacy key (`sk-` + 32 hex) or a signed one (`sk-ws-H.…`). */
export const VERIFIABLE_SHAPE = /^sk-(?:[0-9a-f]{32}|ws-H\.[A-Za-z0-9._-]+)$/;

/**
 * Clear secrets of the keys a scan found, by fingerprint, kept only when --verify is on: findings stay redacted on
 * their way to the reporters, and the verifier looks each key up here. Private fields keep the secrets out of
 * JSON.stringify, util.inspect and object spreads; only the shapes the verifier may send are kept at all.
 */
export class SecretVault {
  readonly #secrets = new Map<string, string>();

  /** A DetectOptions.keepSecret: the first secret seen for a fingerprint is kept. */
  readonly keep = (fingerprint: string, secret: string): void => {
    if (VERIFIABLE_SHAPE.test(secret) && !this.#secrets.has(fingerprint)) this.#secrets.set(fingerprint, secret);
  };

  readonly secretOf = (fingerprint: string): string | undefined => this.#secrets.get(fingerprint);

  get size(): number {
    return this.#secrets.size;
  }

  clear(): void {
    this.#secrets.clear();
  }

  toJSON(): string {
    return '[secrets withheld]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretVault(${this.#secrets.size} withheld)`;
  }
}
