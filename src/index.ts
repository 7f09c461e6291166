/** Public API for programmatic use. */
export { scanWorkingTree, type ScanOptions } from './scan';
export { detectFragment, type DetectOptions } from './detect/detect';
export { builtinRules } from '../rules';
export { run } from './cli/run';
export type * from './types';
