import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every regular file under `root` (absolute paths), dotfiles included, `.git/` folders and symbolic links left out
 * (the entry types readdir reports, no stat per file). Synchronous on purpose: it is 4x faster than fast-glob's
 * stream on a 27k-file checkout (150 ms against 660 ms, see bench/RESULTS.md) and the scan waits for the list anyway.
 * An unreadable folder is passed to `onUnreadable` and skipped.
 */
export function walkFiles(root: string, onFile: (absPath: string) => void, onUnreadable?: (absPath: string, error: unknown) => void): void {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onUnreadable?.(dir, error);
      continue;
    }
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') stack.push(abs);
      } else if (entry.isFile()) {
        onFile(abs);
      }
    }
  }
}
