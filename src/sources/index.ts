import type { SourceDefinition } from '../types';
import { diffSource } from './diff';
import { historySource } from './history';
import { stagedSource } from './staged';
import { stdinSource } from './stdin';
import { workingTreeSource } from './working-tree';

/** Every source by name: a new source is one module and one line here. */
export const SOURCES = {
  'working-tree': workingTreeSource,
  staged: stagedSource,
  history: historySource,
  diff: diffSource,
  stdin: stdinSource,
} as const satisfies Record<string, SourceDefinition>;

export type SourceName = keyof typeof SOURCES;
