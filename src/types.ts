import type { HistoryShard } from './sources/history-shard';
/** Severity of a finding, in SARIF's vocabulary. */
export type Level = 'error' | 'warning' | 'note';

/** How sure we are that a match is a live credential of the named kind. */
export type Confidence = 'high' | 'medium' | 'low';

/** Which vendor the text around a candidate points at, and how close that hint is. */
export interface ContextSignals {
  /** Distance tier of the nearest Model Studio hint: same line, nearby lines, same file, or none. */
  modelStudio: ContextTier;
  /** Distance tier of the nearest hint for another vendor whose keys look alike (DeepSeek, …). */
  otherVendor: ContextTier;
  /** Name of that other vendor, when there is one. */
  otherVendorName?: string;
  /**
   * When the nearest hints are nearby lines (tier 2): how many lines away the closest Model Studio and other-vendor
   * hints are, a hint below the key counting half a line more (a config block usually names its vendor above the key).
   */
  modelStudioLines?: number;
  otherVendorLines?: number;
  /** Region id (`cn-beijing`, `ap-southeast-1`, …) of the nearest Model Studio host, when one is in the file. */
  region?: string;
}

/** 3 = same line, 2 = within a few lines, 1 = elsewhere in the file, 0 = absent. */
export type ContextTier = 0 | 1 | 2 | 3;

/** What a rule's `classify` decides for one structurally valid candidate; `null` drops it. */
export interface Verdict {
  level: Level;
  confidence: Confidence;
  /** Short qualifier for the message, e.g. "Model Studio or DeepSeek key". */
  note?: string;
}

/** A match the engine hands to a rule's checks: the secret and its parts. */
export interface Candidate {
  /** The whole secret, as it appears in the text. */
  secret: string;
  /** The part of the secret whose entropy is measured (the secret without its fixed prefix). */
  body: string;
  /** Named groups of the rule's pattern. */
  groups: Record<string, string | undefined>;
  /** The line that holds the secret (clipped for very long lines). */
  line: string;
  /** The text the pattern ran over: the hit's line and `window` lines around it. */
  window: string;
}

export interface RuleExample {
  /** Text to scan, as it would appear in a file. Keys in examples are synthetic. */
  text: string;
  /** For positives: the level the finding must have. */
  level?: Level;
  /** Optional file name, for examples whose meaning depends on it. */
  path?: string;
  /** Why this example exists. */
  why?: string;
}

/**
 * A detection rule: plain data checked by the compiler (`satisfies Rule`), carrying its own examples.
 * The engine finds `keywords` in raw bytes, runs `pattern` over the lines around each hit, then applies
 * the entropy floor, `check` (structure) and `classify` (context → level).
 */
export interface Rule {
  /** `vendor-product-credential`, e.g. `alibaba-model-studio-api-key`. */
  id: string;
  /** PascalCase name, for SARIF `rule.name`. */
  name: string;
  /** One-line title, used as the alert title. */
  title: string;
  /** What the credential is and why it matters. */
  description: string;
  /** Literal ASCII strings, at least one of which occurs in any text the pattern can match. */
  keywords: readonly string[];
  /** Global regex with the `d` flag and a named group `secret` (the span reported) and `body` (entropy). */
  pattern: RegExp;
  /** Lines before and after a keyword hit the pattern runs over (default 0: the hit's own line). */
  window?: number;
  /**
   * Fewer lines for the hits of some keywords (by keyword): where a candidate far from that keyword could never be
   * reported because of it (see the AccessKey secret). Candidates still see `window` lines of context.
   */
  keywordWindow?: Readonly<Record<string, number>>;
  /** Minimum Shannon entropy, in bits per character, of the body. */
  entropyFloor: number;
  /** The level this rule reports at when context does not change it. */
  defaultLevel: Level;
  /** Structure check: returns a reason to reject, or undefined when the candidate is well-formed. */
  check?: (candidate: Candidate) => string | undefined;
  /** Decides level and confidence from the context; returning null drops the candidate. */
  classify?: (candidate: Candidate, context: ContextSignals) => Verdict | null;
  /** What the owner must do, as plain text; `{region}` is replaced by the region's name or "its region". */
  remediation: string;
  /** SARIF `properties.precision`. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** SARIF `properties.security-severity`, "0.0".."10.0". */
  securitySeverity: string;
  tags: readonly string[];
  examples: { positive: readonly RuleExample[]; negative: readonly RuleExample[] };
}

/** The commit that introduced a finding, for history and range scans. */
export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  date: string;
  /** First line of the commit message. */
  message: string;
}

/** One reported credential. `secret` is redacted unless the scan ran with `showSecret`. */
export interface Finding {
  ruleId: string;
  level: Level;
  confidence: Confidence;
  /** Relative to the current directory, forward slashes. */
  path: string;
  /** 1-based; columns count UTF-16 code units (characters for all but astral-plane text). */
  startLine: number;
  startColumn: number;
  endLine: number;
  /** Exclusive, as in SARIF: the column just past the secret's last character. */
  endColumn: number;
  secret: string;
  /** sha256 of rule id and secret: stable across line moves, renames and rewritten history. */
  fingerprint: string;
  entropy: number;
  region?: string;
  commit?: CommitInfo;
  /**
   * Range scans (`diff`): a later commit of the range removed the key, so `path` and the lines are in `commit`'s
   * version of the file, not in the head. The key is still public in that commit.
   */
  notInHead?: boolean;
  /** Human message: what was found and a hint of the context. Never contains the secret. */
  message: string;
  /** What the owner must do, naming the region when it is known. */
  remediation: string;
  /** With --verify: whether the key still works, as the vendor answered (see src/verify). */
  verification?: Verification;
}

/**
 * Outcome of checking a found key against the vendor (`--verify`): `live` (some region accepted it or named it as
 * existing), `invalid` (every region checked refused it), `unknown` (the check could not tell: network, timeout,
 * an unexpected answer), `skipped` (never sent, by policy: plan, temporary and ambiguous keys, AccessKeys).
 */
export interface Verification {
  status: 'live' | 'invalid' | 'unknown' | 'skipped';
  /** Region id of the answer that decided a `live` status. */
  region?: string;
  /** Why, for every status but `live`: what was refused where, what failed, or why it was not sent. */
  reason?: string;
}

export interface ScanError {
  path: string;
  message: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  durationMs: number;
  /** Findings suppressed by inline allow comments, allowlists or a baseline. */
  suppressed?: number;
  /** Of those, the findings a baseline suppressed. */
  baselined?: number;
}

export interface ScanResult {
  findings: Finding[];
  errors: ScanError[];
  stats: ScanStats;
  /** Things the user should know about the scan itself (e.g. a shallow clone). */
  warnings: string[];
  /** With --report-unused: baseline entries that matched no finding, so they can be removed. */
  unusedBaseline?: { ruleId: string; fingerprint: string }[];
  /** `history --shard K/N`: what `merge` needs to attribute this shard's raw findings (src/sources/history-shard.ts). */
  shard?: HistoryShard;
}

/** A piece of text to scan, with where it came from. */
export interface Fragment {
  path: string;
  /** Raw bytes; the engine decodes only what it needs. */
  bytes: Buffer;
  /** Line number (1-based) of the first line in `bytes`, for chunks of large files. */
  firstLine?: number;
  /** Characters of the first line that came before `bytes[0]`, when a very long line was cut. */
  firstColumn?: number;
  commit?: CommitInfo;
}
