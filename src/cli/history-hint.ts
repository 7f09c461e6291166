import { lstatSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether the scan's first path (the current folder by default) lies in a git work tree: a `.git` folder or file
 * (a linked worktree, a submodule) there or in a folder above. Only for a hint, so a look at the disk, not a git
 * call; a repository whose git directory lives elsewhere (GIT_DIR) goes without the hint.
 */
export function isGitWorkTree(cwd: string, paths: readonly string[] | undefined): boolean {
  let dir = path.resolve(cwd, paths?.[0] ?? '.');
  for (;;) {
    try {
      lstatSync(path.join(dir, '.git'));
      return true;
    } catch {
      // not here: look further up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
