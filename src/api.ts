import path from 'node:path';
import { builtinRules } from '../rules';
import { applyBaseline, readBaseline } from './config/baseline';
import { findConfig, scanRoot } from './config/find-config';
import { displayPath, loadConfig, type LoadedConfig } from './config/load-config';
import type { DetectOptions } from './detect/detect';
import type { ScannerOptions } from './engine/scanner';
import type { Repository } from './git/repo';
import { runSource } from './pipeline';
import { fromReportPath } from './paths';
import { withCommitMessages } from './sources/commit-messages';
import { diffScan, type DiffScanOptions } from './sources/diff';
import { historyScan, type HistoryScanOptions } from './sources/history';
import { loadSource } from './sources';
import type { Rule, ScanResult } from './types';

/** Options of the library's scans: what to scan, and how (the same settings the CLI derives from its flags). */
export interface ScanOptions extends DetectOptions {
  /** Files and folders to scan, relative to `cwd` (default `.`). */
  paths?: readonly string[];
  cwd?: string;
  noIgnore?: boolean;
  rules?: readonly Rule[];
  /** Paths (relative, forward slashes) to leave out, e.g. from the config's allowlist. */
  isExcludedPath?: (path: string) => boolean;
  /** Files larger than this many bytes are not read; the result warns about them. */
  maxFileSize?: number;
  /** Threads reading and scanning files (default: the number of cores; small scans use one). */
  threads?: number;
}

function scannerOptions(options: ScanOptions): ScannerOptions {
  const { rules = builtinRules, maxFileSize, threads, paths: _p, cwd: _c, noIgnore: _n, isExcludedPath: _e, ...detect } = options;
  return { rules, detect, maxFileSize, threads };
}

/** Scans files under `paths` (the working tree) with exactly the options given: no config file is read. */
export async function scanWorkingTree(options: ScanOptions = {}): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const source = (await loadSource('working-tree')).create({ cwd, paths: options.paths, noIgnore: options.noIgnore, isExcludedPath: options.isExcludedPath });
  return runSource(await source, scannerOptions(options));
}

/** Scans `text` as if it were the content of a file at `path` (default `<text>`): no file is read, no config either. */
export async function scanText(text: string | Buffer, options: ScanOptions & { path?: string } = {}): Promise<ScanResult> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const source = await (await loadSource('stdin')).create({ cwd: options.cwd ?? process.cwd(), input: [bytes], inputPath: options.path ?? '<text>' });
  return runSource(source, scannerOptions(options));
}

export interface StagedScanOptions extends ScanOptions {
  /** Report keys on every line of the staged files, not only on added or changed lines. */
  allLines?: boolean;
}

/** What the next commit will contain (see src/sources/staged.ts). */
export async function scanStaged(options: StagedScanOptions = {}): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const source = (await loadSource('staged')).create({ cwd, allLines: options.allLines, isExcludedPath: options.isExcludedPath });
  return runSource(await source, scannerOptions(options));
}

/** Whether a history or diff scan reads the commits' messages too (default true, as the CLI). */
export interface CommitMessageScanOptions {
  commitMessages?: boolean;
}

/** Every key ever committed on `revArgs`, in files and in the commits' messages (see src/sources/history.ts). */
export function scanHistory(repo: Repository, options: HistoryScanOptions & ScanOptions & CommitMessageScanOptions): Promise<ScanResult> {
  const { commitMessages, ...rest } = options;
  const source = withCommitMessages(historyScan(repo, rest), repo, rest.revArgs, { enabled: commitMessages, shard: rest.shard });
  return runSource(source, scannerOptions({ ...rest, paths: undefined }));
}

/** The keys a change brings, in files and in the commits' messages (see src/sources/diff.ts). */
export function scanDiff(repo: Repository, options: DiffScanOptions & ScanOptions & CommitMessageScanOptions): Promise<ScanResult> {
  const { commitMessages, ...rest } = options;
  const source = withCommitMessages(diffScan(repo, rest), repo, [`^${rest.base}`, rest.head], { enabled: commitMessages });
  return runSource(source, scannerOptions(rest));
}

/**
 * `scan({ paths, cwd })`: the working tree as the CLI scans it, config discovery included — the config file found
 * from the first path up to the repository top (or `config: 'FILE'`) brings its rules, allowlists, maxFileSize and
 * baseline. `config: false` turns discovery off, as `--no-config` does. Options given here win over the config's.
 */
export async function scan(options: ScanOptions & { config?: string | false } = {}): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const config = configFor(options.config, cwd, options.paths);
  const isAllowedPath = config?.isAllowedPath;
  const isAllowedSecret = config?.isAllowedSecret;
  const result = await scanWorkingTree({
    ...(config?.rules ? { rules: config.rules } : {}),
    ...(isAllowedSecret ? { isAllowedSecret: (secret: string) => isAllowedSecret(secret), allowSecrets: config?.data.allowSecrets } : {}),
    ...(isAllowedPath ? { isExcludedPath: (rel: string) => isAllowedPath(fromReportPath(cwd, rel)) } : {}),
    ...(config?.data.maxFileSize !== undefined ? { maxFileSize: config.data.maxFileSize } : {}),
    ...options,
    cwd,
  });
  const baselineFile = config?.baseline;
  return baselineFile ? applyBaseline(result, readBaseline(baselineFile, displayPath(cwd, baselineFile)), false) : result;
}

function configFor(choice: string | false | undefined, cwd: string, paths: readonly string[] | undefined): LoadedConfig | undefined {
  if (choice === false) return undefined;
  if (choice) return loadConfig({ file: path.resolve(cwd, choice) }, cwd);
  const found = findConfig(scanRoot(cwd, paths as string[] | undefined));
  return found && loadConfig(found, cwd);
}
