/** Public API for programmatic use. The CLI as a function is `run` from 'ms-leakscan/cli' (kept apart: it loads yargs). */
export { scanWorkingTree, type ScanOptions } from './scan';
export { detectFragment, type DetectOptions } from './detect/detect';
export { builtinRules } from '../rules';
export type * from './types';
export { findConfig, CONFIG_FILE_NAME } from './config/find-config';
export { loadConfig, type LoadedConfig, type ConfigData } from './config/load-config';
export { applyBaseline, formatBaseline, parseBaseline, readBaseline, type BaselineEntry } from './config/baseline';
export { scanStaged, type StagedScanOptions } from './sources/staged';
export { scanHistory, type HistoryScanOptions } from './sources/history';
export { scanDiff, type DiffScanOptions } from './sources/diff';
export { openRepository, resolveCommit, type Repository } from './git/repo';
export { verifyFindings, type VerifyOptions } from './verify/verify';
export { SecretVault } from './verify/secret-vault';
