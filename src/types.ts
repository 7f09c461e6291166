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
  /**
   * Where the key is sent, read from its assignment block (src/detect/assignment-block.ts): a Model Studio host or
   * base-URL path there, another vendor's API host there. Set only when a Model Studio hint is on or near the line.
   */
  modelStudioEndpoint?: boolean;
  otherVendorEndpoint?: boolean;
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

/** A match detection hands to a rule's checks: the secret and its parts. */
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
  /**
   * For positives: where the finding must be, in `text` as written — 1-based line and column, `endColumn` exclusive,
   * as eslint's RuleTester states it. In built-in rules (where it is required) a `{{token}}` of a synthetic key counts
   * as the characters it is written with; the test moves the span onto the text with the key filled in.
   */
  span?: { line: number; column: number; endColumn: number };
  /** Why this example exists. */
  why?: string;
}

/**
 * A detection rule: plain data checked by the compiler (`satisfies Rule`), carrying its own examples.
 * Detection finds `keywords` in raw bytes, runs `pattern` over the lines around each hit, then applies
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
   * reported because of it (see the AccessKey secret). `'rest-of-line'`: only a candidate that starts at or after
   * the hit, on its line (a value after its name). Candidates still see `window` lines of context.
   */
  keywordWindow?: Readonly<Record<string, number | 'rest-of-line'>>;
  /**
   * Every match's secret starts with one of `keywords`, and the pattern consumes nothing before it (lookbehinds only):
   * the pattern is then tried at each keyword hit only, never at the positions between hits, which finds the same
   * matches (a match starts at a hit) without running the left-edge lookbehinds at every character of a window.
   */
  startsWithKeyword?: true;
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

/** `allowSecrets` of the config: secrets holding a stopword or matching a regex are not reported. */
export interface SecretAllowlist {
  stopwords?: readonly string[];
  regexes?: readonly string[];
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
  /**
   * How the key was encoded where it was found, outermost first (`base64`, `base64>percent`); the lines and columns
   * are those of the encoded text. Absent for a key found as plain text.
   */
  decoded?: string;
  /**
   * For a key found among the printable strings of a binary file (or archive member): the byte offset of its first
   * character in that file or member. Lines and columns are then 1 (a binary has no lines).
   */
  byteOffset?: number;
  /**
   * Engine-internal, never reported: the member of an archive a finding is in (`config/.env`, `inner.zip!a.env`), while
   * `path` is still the unit's key; `resultOf` (src/outcome.ts) joins them into `dist/app.zip!config/.env`.
   */
  member?: string;
  /** The key is in the message of `commit`, not in a file: `path` is empty, lines and columns are the message's. */
  commitMessage?: boolean;
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
  /** Raw bytes; detection decodes only what it needs. */
  bytes: Buffer;
  /** Line number (1-based) of the first line in `bytes`, for chunks of large files. */
  firstLine?: number;
  /** Characters of the first line that came before `bytes[0]`, when a very long line was cut. */
  firstColumn?: number;
  commit?: CommitInfo;
}

/** Where a unit's scan stopped for lack of budget: not scanned from `line`:`column` to the end of `lastLine`. */
export interface OverBudget {
  path: string;
  line: number;
  column: number;
  lastLine: number;
}

/**
 * What scanning yields, for one unit or a whole scan: plain data (it crosses thread boundaries as is), merged with
 * `mergeOutcome` (src/outcome.ts) whatever the source or thread. Paths are the units' keys (a file's path, a blob's
 * id) until the source names them; warnings about cut lines, budgets and sizes are written from it in one place.
 */
export interface ScanOutcome {
  findings: Finding[];
  errors: ScanError[];
  /** Things the user should know that are not about one unit (a shallow clone, a failed fetch). */
  warnings: string[];
  /** Units with a line cut for being longer than the largest piece. */
  cutLines: string[];
  /** Units with a piece too dense to scan whole within the work budget: where scanning stopped. */
  overBudget: OverBudget[];
  /** Units over the size limit, not read. */
  tooLarge: string[];
  /** Blobs the repository does not have, and blobs git failed to read (corrupt), with git's reason. */
  missing: string[];
  unreadable: { oid: string; reason: string }[];
  /**
   * What the archive reader, binary strings and the decode stage could not do for a unit (a cap reached, a damaged
   * or truncated member, an unsupported archive), keyed like the rest by the unit's key and named by `member` inside
   * an archive. Errors make the scan incomplete; warnings say what may have been missed.
   */
  unitProblems: UnitProblem[];
  /** Text units scanned, and bytes read. */
  files: number;
  bytes: number;
  suppressed: number;
  /** `history --shard K/N`: what `merge` needs to attribute the shard's raw findings. */
  shard?: HistoryShard;
}

/** Something the engine could not scan in a unit: see ScanOutcome.unitProblems. */
export interface UnitProblem {
  severity: 'error' | 'warning';
  /** The unit's key (a file's path, a blob's id), until the source names it. */
  path: string;
  /** Inside an archive: the member it is about (`config/.env`, `inner.zip!a.bin`). */
  member?: string;
  message: string;
}

/** One file on disk for the engine to read (on a worker thread, when there are enough of them). */
export interface FileUnit {
  absPath: string;
  /** The path's bytes, when they are not valid UTF-8 (`absPath` then holds a lossy decoding, not openable). */
  rawPath?: Uint8Array;
  /** Relative to cwd, forward slashes. */
  path: string;
}

/** Blobs of one repository for the engine to read with `git cat-file` and scan; findings are keyed by blob id. */
export interface BlobUnits {
  /** The repository's top folder. */
  cwd: string;
  /** Blob ids known up front (with their total size, which lets the engine spread them over threads)... */
  oids?: readonly string[];
  sizes?: readonly number[];
  bytes?: number;
  /** Called as each blob is done, with its bytes (0 when not read). */
  onBlob?: (blobs: number, bytes: number) => void;
}

/** Blobs being read: more may be requested until `end()`, which resolves with the outcome. */
export interface BlobScan {
  request(oid: string): void;
  end(): Promise<ScanOutcome>;
  abort(): void;
}

/**
 * The engine as a source sees it: the one door from units to findings. Sources hand it units of three kinds —
 * files on disk, blobs in a repository, bytes in memory or a stream — and never run detection themselves; the engine
 * decides threads (one policy), fragments the bytes (one fragmenter), detects with allowlist and redaction, and
 * returns one ScanOutcome.
 */
export interface Scanner {
  files(files: Iterable<FileUnit>): Promise<ScanOutcome>;
  blobs(units: BlobUnits): BlobScan;
  /** Bytes that are not a file to open (standard input), cut into fragments as a file's would be. */
  bytes(path: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<ScanOutcome>;
}

/**
 * One place findings come from: it lists its units (files, blobs, a stream), hands them to the scanner, and names
 * what the engine found (its paths, the commit that introduced a key). A new source is one module exporting a
 * SourceDefinition and one line in src/sources/index.ts.
 */
export interface Source {
  scan(scanner: Scanner): Promise<ScanOutcome>;
}

/** What every source may be asked for: the scan's place and filters, and the inputs of particular sources. */
export interface SourceRequest {
  cwd: string;
  /** Files and folders (working tree), or paths to limit a git scan to. */
  paths?: readonly string[];
  /** Scan files that .gitignore excludes too. */
  noIgnore?: boolean;
  /** Paths (relative to cwd, forward slashes) not to scan. */
  isExcludedPath?: (path: string) => boolean;
  /** Staged: report keys on every line, not only on added ones. */
  allLines?: boolean;
  /** History: which commits (all refs when none is given), and whether git may fetch what a partial clone lacks. */
  range?: string;
  sinceCommit?: string;
  branch?: string;
  fetchMissing?: boolean;
  /** Diff: the commits the change starts from and ends at (names resolved by the source), and whether to scan only the net diff. */
  base?: string;
  head?: string;
  netOnly?: boolean;
  /** History and diff: scan the commits' messages too (default true; false with --no-commit-messages). */
  commitMessages?: boolean;
  /** History: `K/N`, read only that share of the blobs and report raw findings for `merge`. */
  shard?: string;
  /** Standard input (or any stream): its bytes, and the path its findings are shown at. */
  input?: AsyncIterable<Buffer> | Iterable<Buffer>;
  inputPath?: string;
  onProgress?: (progress: HistoryProgress) => void;
}

/** Progress of a git scan, for the progress line. */
export interface HistoryProgress {
  commits: number;
  /** Distinct blobs queued so far, and read. */
  blobs: number;
  blobsDone: number;
  bytes: number;
  /** The commit listing has finished, so `blobs` is final. */
  listed: boolean;
}

/** A source as the registry lists it: its name (for `baseline --source`), what it scans, and how to make one. */
export interface SourceDefinition {
  name: string;
  describe: string;
  create(request: SourceRequest): Source | Promise<Source>;
}

/** `history --shard K/N`: which share of the blobs (by blob id) a scan reads. */
export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** One raw finding of a shard: where its introduction sits in the listing, and which reported finding it is. */
export interface ShardCandidate {
  /** Position of the (commit, path, blob) introduction in the listing: the same in every shard. */
  seq: number;
  commit: number;
  gitPath: string;
  fingerprint: string;
  /** findingKey of the finding in the report's `findings` (absent there when the baseline or config removed it). */
  key: string;
}

/** What a shard's JSON report carries for `merge` beside its raw findings (src/sources/history-shard.ts). */
export interface HistoryShard {
  index: number;
  count: number;
  /** sha256 of the listing (commit ids in order, and the number of files it names): shards of one history agree. */
  listing: string;
  commits: number;
  candidates: ShardCandidate[];
  /** Deletions of the commits of the candidates: [commit, deleted git paths]. */
  deletions: [number, string[]][];
}
