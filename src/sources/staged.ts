import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { listAddedLines, listChangedBlobs, type AddedLines } from '../git/diff';
import type { RawEntry } from '../git/raw';
import { openRepository, type Repository } from '../git/repo';
import type { SourceDefinition } from '../types';
import { scanChangedBlobs } from './changes';

/**
 * What the next commit will contain: the index's version of every added, modified, renamed or copied file
 * (never the working tree), keeping by default only keys on lines the commit adds (`allLines` keeps all). Deleted
 * files are not scanned. Works before the first commit, since `git diff --cached` compares with the empty tree then.
 */
export const stagedSource: SourceDefinition = {
  name: 'staged',
  describe: 'the staged changes (the index): only the lines the next commit adds, unless --all-lines',
  create: ({ cwd, allLines, isExcludedPath }) => ({
    async scan(scanner) {
      // Git takes a missing index for an empty one: an index named by the environment that is not there would make the
      // scan pass as "nothing staged".
      const indexFile = process.env.GIT_INDEX_FILE;
      if (indexFile && !existsSync(path.resolve(cwd, indexFile))) {
        throw new UserError(`GIT_INDEX_FILE=${indexFile} names no file, so there is no index to scan — unset GIT_INDEX_FILE, or point it at the index to check`);
      }
      // The three git calls run side by side (this is the commit path); when the folder is no work tree, the
      // repository check's error is the one to report.
      const [repo, entries, added] = await Promise.allSettled([
        openRepository(cwd, 'staged'),
        listChangedBlobs(cwd, ['--cached']),
        allLines ? undefined : listAddedLines(cwd, ['--cached']),
      ]).then((settled) => settled.map((s) => {
        if (s.status === 'rejected') throw s.reason;
        return s.value;
      }) as [Repository, RawEntry[], AddedLines | undefined]);
      return scanChangedBlobs(repo, entries, added, scanner, { isExcludedPath });
    },
  }),
};
