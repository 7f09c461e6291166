import { compilePathAllowlist } from '../config/allow';
import { ConfigProblem } from '../config/problem';
import { UserError } from '../errors';

/**
 * `--exclude GLOB…`: a matcher of absolute paths, with the semantics of the config's allowPaths (picomatch; a glob
 * without a slash matches the name at any depth; a leading / anchors it), relative to the current folder, where the
 * user typed it. Undefined when no glob was given.
 */
export function excludeMatcher(globs: readonly string[] | undefined, cwd: string): ((absPath: string) => boolean) | undefined {
  if (!globs?.length) return undefined;
  try {
    return compilePathAllowlist(globs, cwd, '--exclude');
  } catch (error) {
    if (!(error instanceof ConfigProblem)) throw error;
    const index = Number(/\[(\d+)\]$/.exec(error.field)?.[1] ?? 0);
    throw new UserError(`--exclude ${globs[index]}: ${error.message.replace(/^"(?:[^"\\]|\\.)*" /, '').replace("the config file's folder", 'the current folder')}`);
  }
}
