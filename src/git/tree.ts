import { GitError, gitOutput } from './exec';
import { gitFailure, type Repository } from './repo';

/** One entry of a commit's folder, as `git ls-tree -l` lists it. */
export interface TreeEntry {
  name: string;
  /** `100644`, `100755` (regular files), `120000` (symbolic link), `040000` (folder), `160000` (submodule). */
  mode: string;
  oid: string;
  /** Bytes of a blob; undefined for folders and submodules. */
  size?: number;
}

export const isRegularBlob = (entry: TreeEntry): boolean => entry.mode === '100644' || entry.mode === '100755';

/**
 * The entries of folder `dir` (from the top, '' for the top itself) in `commit`, or undefined when the commit
 * has no such folder (also when a part of the path is a symbolic link or a file: nothing is followed).
 */
export async function listCommitFolder(repo: Repository, commit: string, dir: string): Promise<TreeEntry[] | undefined> {
  let out: string;
  try {
    out = await gitOutput(['ls-tree', '-z', '-l', '--end-of-options', `${commit}:${dir}`], repo.top);
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, , oid, size] = record.slice(0, tab).split(/ +/);
    entries.push({ name: record.slice(tab + 1), mode, oid, ...(size !== '-' ? { size: Number(size) } : {}) });
  }
  return entries;
}

/** The entry at `gitPath` (from the top) in `commit`, or undefined when there is none. */
export async function commitEntry(repo: Repository, commit: string, gitPath: string): Promise<TreeEntry | undefined> {
  const slash = gitPath.lastIndexOf('/');
  const entries = await listCommitFolder(repo, commit, slash < 0 ? '' : gitPath.slice(0, slash));
  const name = gitPath.slice(slash + 1);
  return entries?.find((entry) => entry.name === name);
}

/** A blob's content as text (the caller has checked its size). */
export async function readBlobText(repo: Repository, oid: string): Promise<string> {
  return gitOutput(['cat-file', 'blob', oid], repo.top).catch((error) => {
    throw gitFailure(error);
  });
}
