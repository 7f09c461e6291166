import type { SourceDefinition } from '../types';

/**
 * Every source by name: a new source is one module and one line here. Each is loaded on first use, so the commit
 * path (`staged`) does not load the history and diff code (~6 ms).
 */
export const SOURCES = {
  'working-tree': async () => (await import('./working-tree')).workingTreeSource,
  staged: async () => (await import('./staged')).stagedSource,
  history: async () => (await import('./history')).historySource,
  diff: async () => (await import('./diff')).diffSource,
  stdin: async () => (await import('./stdin')).stdinSource,
} as const satisfies Record<string, () => Promise<SourceDefinition>>;

export type SourceName = keyof typeof SOURCES;

/** The source of that name, loaded. */
export function loadSource(name: SourceName): Promise<SourceDefinition> {
  return SOURCES[name]();
}
