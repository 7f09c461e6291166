import type { CamelCaseKey, InferredOptionTypes, Options } from 'yargs';
import { FORMATS } from '../report';
import { parseSize } from './size';

/**
 * Every option, declared once: yargs builds parsing and --help from these, and `reportOptions` /
 * command modules read the parsed values by the same names.
 */
export const OUTPUT_OPTIONS = {
  format: { choices: FORMATS, default: 'text', alias: 'f', describe: 'Report format', group: 'Output:' },
  output: { type: 'string', alias: 'o', describe: 'Write the report to FILE instead of standard output', group: 'Output:', requiresArg: true },
  // No yargs default: resolveSettings tells a given flag from the config's failLevel, then defaults to warning.
  'fail-level': {
    choices: ['error', 'warning', 'note'],
    describe: 'Exit 1 when a finding is at or above this level (default: failLevel from the config, else warning)',
    group: 'Output:',
  },
  'show-secret': { type: 'boolean', default: false, describe: 'Print whole secrets instead of redacted ones (never in CI logs)', group: 'Output:' },
  color: { type: 'boolean', describe: 'Colour the text report (default: only in a terminal; --no-color to disable)', group: 'Output:' },
  quiet: { type: 'boolean', default: false, alias: 'q', describe: 'No summary line or progress, only findings and errors', group: 'Output:' },
  debug: { type: 'boolean', default: false, describe: 'Print stack traces of unexpected errors', group: 'Output:' },
} as const satisfies Record<string, Options>;

/** Options of scans of files on disk (`scan`, `baseline --source working-tree`), not of git objects. */
export const TREE_OPTIONS = {
  'stdin-filename': {
    type: 'string',
    requiresArg: true,
    describe: 'With - (scan standard input): the path its findings are shown at and allowPaths match (default <stdin>)',
    group: 'Scan:',
  },
  // Shown in --help as users type it (--no-ignore, declared below for help only); --ignore still parses.
  ignore: { type: 'boolean', default: true, hidden: true, describe: 'Respect .gitignore in git work trees', group: 'Scan:' },
  'no-ignore': { type: 'boolean', describe: 'Scan every file, also those .gitignore excludes (default: respect .gitignore in git work trees)', group: 'Scan:' },
  threads: {
    type: 'number',
    requiresArg: true,
    describe: 'Threads reading and scanning files (default: the number of cores; small scans use one)',
    group: 'Scan:',
  },
} as const satisfies Record<string, Options>;

/** Options of every scan, whatever its source. */
export const SCAN_OPTIONS = {
  // As --ignore: --no-inline-allow is what users type, so help shows that (the yargs option stays inline-allow).
  'inline-allow': { type: 'boolean', default: true, hidden: true, describe: 'Honour ms-leakscan:allow comments', group: 'Scan:' },
  'no-inline-allow': { type: 'boolean', describe: 'Ignore ms-leakscan:allow comments (a CI policy; default: honour them)', group: 'Scan:' },
  exclude: {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      'Do not scan files matching this glob (picomatch, relative to the current folder, as allowPaths: no slash matches the name at any depth); repeatable',
    group: 'Scan:',
  },
  'max-file-size': {
    type: 'string',
    requiresArg: true,
    coerce: parseSize,
    describe: 'Skip files larger than this, with a warning: bytes or 500kB, 10MB, 1GB (default: maxFileSize from the config)',
    group: 'Scan:',
  },
  // As --ignore: help shows the --no-… forms users type; the yargs options stay decode, archives, binary-strings.
  decode: { type: 'boolean', default: true, hidden: true, describe: 'Find encoded keys too', group: 'Scan:' },
  'no-decode': {
    type: 'boolean',
    describe: 'Plain text only (default: also keys percent-encoded, base64-encoded or escaped as \\u, \\x or HTML entities, two layers deep)',
    group: 'Scan:',
  },
  archives: { type: 'boolean', default: true, hidden: true, describe: 'Open archives', group: 'Scan:' },
  'no-archives': {
    type: 'boolean',
    describe: 'Do not open archives (default: gzip, zip, jar, whl, apk, docx and tar members are scanned, shown as archive!member)',
    group: 'Scan:',
  },
  'binary-strings': { type: 'boolean', default: true, hidden: true, describe: "Scan binaries' strings", group: 'Scan:' },
  'no-binary-strings': {
    type: 'boolean',
    describe: 'Do not scan binaries (default: their printable strings, 20+ characters, reported at their byte offset)',
    group: 'Scan:',
  },
  config: {
    type: 'string',
    alias: 'c',
    requiresArg: true,
    describe: 'Config file, JSON or YAML (default: .ms-leakscan.json, .ms-leakscan.yml or .ms-leakscan.yaml, else package.json "ms-leakscan", from the scan root up to the repository top; --no-config ignores them)',
    group: 'Scan:',
  },
  baseline: {
    type: 'string',
    requiresArg: true,
    describe: 'Suppress the findings listed in this baseline file (made by ms-leakscan baseline; default: "baseline" in the config)',
    group: 'Scan:',
  },
  'policy-from': {
    type: 'string',
    requiresArg: true,
    describe:
      'Read the config (custom rules included) and baseline from this commit with git, not from the files on disk, so the change under scan cannot set its own policy (e.g. a pull request\'s base)',
    group: 'Scan:',
  },
  'report-unused': {
    type: 'boolean',
    default: false,
    describe: 'List baseline entries that matched nothing, so the baseline can shrink (does not fail the scan)',
    group: 'Scan:',
  },
  verify: {
    type: 'boolean',
    default: false,
    describe:
      'Ask Model Studio whether each pay-as-you-go key found still works (a read-only models list per region, honouring HTTPS_PROXY); ' +
      'plan, temporary and ambiguous keys and AccessKeys are never sent',
    group: 'Verification:',
  },
  'only-live': {
    type: 'boolean',
    default: false,
    describe: 'With --verify: exit 1 only for keys verified live or whose check was inconclusive, not for invalid or skipped ones',
    group: 'Verification:',
  },
} as const satisfies Record<string, Options>;

/** `ms-leakscan staged`. */
export const STAGED_OPTIONS = {
  'all-lines': {
    type: 'boolean',
    default: false,
    describe: 'Report keys on every line of the staged files, not only on the lines the commit adds or changes',
    group: 'Scan:',
  },
} as const satisfies Record<string, Options>;

/** `ms-leakscan history`: which commits; all refs when none is given. */
export const HISTORY_OPTIONS = {
  range: { type: 'string', requiresArg: true, describe: 'Only commits in this range (A..B: reachable from B, not from A)', group: 'History:' },
  'since-commit': { type: 'string', requiresArg: true, describe: 'Only commits made after this commit (not reachable from it)', group: 'History:' },
  branch: { type: 'string', requiresArg: true, describe: 'Only commits reachable from this branch (or any ref) instead of all refs', group: 'History:' },
  'fetch-missing': {
    type: 'boolean',
    default: false,
    describe:
      'In a partial clone, let git fetch the blobs and trees it has not downloaded (the only time ms-leakscan lets git fetch: ' +
      'only for a repository you trust, since fetching runs the transport its config names); without it they are listed as not scanned',
    group: 'History:',
  },
} as const satisfies Record<string, Options>;

/** `history`, `diff` and `baseline --source history`: whether the commits' messages are scanned too. */
export const COMMIT_MESSAGE_OPTIONS = {
  // As --ignore: --no-commit-messages is what users type, so help shows that (the yargs option stays commit-messages).
  'commit-messages': { type: 'boolean', default: true, hidden: true, describe: 'Scan the messages of the commits too', group: 'Scan:' },
  'no-commit-messages': {
    type: 'boolean',
    describe: "Do not scan the commits' messages (default: a key in a commit message is reported at its commit, with no path)",
    group: 'Scan:',
  },
} as const satisfies Record<string, Options>;

/** `ms-leakscan history` only (not `baseline --source history`: a shard's report is partial until merged). */
export const SHARD_OPTIONS = {
  shard: {
    type: 'string',
    requiresArg: true,
    describe:
      'K/N: read only the K-th of N shares of the blobs (by blob id) and write a partial JSON report; every commit is still listed. ' +
      'ms-leakscan merge combines the N reports into exactly what one unsharded scan reports',
    group: 'History:',
  },
} as const satisfies Record<string, Options>;

/** `ms-leakscan merge`: the output options, the format defaulting to the reports' own. */
export const MERGE_OPTIONS = {
  ...OUTPUT_OPTIONS,
  format: { ...OUTPUT_OPTIONS.format, default: undefined, describe: 'Report format (default: the format of the reports merged)' },
  'fail-level': { ...OUTPUT_OPTIONS['fail-level'], describe: 'Exit 1 when a merged finding is at or above this level (default: warning)' },
} as const satisfies Record<string, Options>;

/** `ms-leakscan diff`: every commit between two commits, and the lines the net diff adds. */
export const DIFF_OPTIONS = {
  base: { type: 'string', demandOption: true, requiresArg: true, describe: 'Commit the change starts from (a pull request\'s base, a push\'s "before")', group: 'Diff:' },
  head: { type: 'string', default: 'HEAD', requiresArg: true, describe: 'Commit the change ends at', group: 'Diff:' },
  'net-only': {
    type: 'boolean',
    default: false,
    describe: 'Scan only the lines the net diff adds, not every commit between base and head (misses a key added and then removed)',
    group: 'Diff:',
  },
} as const satisfies Record<string, Options>;

/** The parsed values of a set of declarations, by their camelCase names: the types follow the declarations. */
type Parsed<O extends Record<string, Options>> = { [K in keyof InferredOptionTypes<O> as CamelCaseKey<K>]: InferredOptionTypes<O>[K] };

export type OutputArgs = Parsed<typeof OUTPUT_OPTIONS>;
export type TreeArgs = Parsed<typeof TREE_OPTIONS>;
export type StagedArgs = Parsed<typeof STAGED_OPTIONS>;
export type HistoryArgs = Parsed<typeof HISTORY_OPTIONS>;
export type DiffArgs = Parsed<typeof DIFF_OPTIONS>;
export type ShardArgs = Parsed<typeof SHARD_OPTIONS>;
export type CommitMessageArgs = Parsed<typeof COMMIT_MESSAGE_OPTIONS>;
export type ScanArgs = Omit<Parsed<typeof SCAN_OPTIONS>, 'config'> & {
  /** A config file, or false for --no-config (yargs' boolean negation of a string option). */
  config?: string | false;
  /** The scan command's paths; the first one is where the config search starts. */
  paths?: string[];
};

/** What any scan command may have parsed: its own options, and the others' left undefined. */
export type SourceArgs = OutputArgs & ScanArgs & Partial<TreeArgs & StagedArgs & HistoryArgs & ShardArgs & DiffArgs & CommitMessageArgs>;
