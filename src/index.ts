/** Public API for programmatic use. */
export { scanWorkingTree, type ScanOptions } from './scan';
export { detectFragment, type DetectOptions } from './detect/detect';
export { builtinRules } from '../rules';
export { run } from './cli/run';
export type * from './types';
export { scanStaged, type StagedScanOptions } from './sources/staged';
export { scanHistory, type HistoryScanOptions } from './sources/history';
export { scanDiff, type DiffScanOptions } from './sources/diff';
export { openRepository, resolveCommit, type Repository } from './git/repo';
