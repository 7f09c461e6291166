/**
 * Public API for programmatic use; loads no CLI code. The CLI as a function is `run` from 'ms-leakscan/cli' (kept
 * apart: it loads yargs).
 */
export { scan, scanText, scanWorkingTree, scanStaged, scanHistory, scanDiff, type ScanOptions, type StagedScanOptions } from './api';
export type { HistoryScanOptions } from './sources/history';
export type { DiffScanOptions } from './sources/diff';
export { detectFragment, type DetectOptions } from './detect/detect';
export { builtinRules } from '../rules';
export type * from './types';
export { findConfig, CONFIG_FILE_NAME } from './config/find-config';
export { loadConfig, type LoadedConfig, type ConfigData } from './config/load-config';
export { applyBaseline, formatBaseline, parseBaseline, readBaseline, type BaselineEntry } from './config/baseline';
export { openRepository, resolveCommit, type Repository } from './git/repo';
export { verifyFindings, type VerifyOptions } from './verify/verify';
export { SecretVault } from './verify/secret-vault';
