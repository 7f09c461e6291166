import path from 'node:path';

/**
 * `absPath` relative to `dir`, with forward slashes on every system (`''` for `dir` itself, `../…` outside it). `p` is
 * the path module (path.win32 in tests of Windows paths: drive letters, backslashes, case-insensitive prefixes).
 */
export function relativeSlashed(dir: string, absPath: string, p: path.PlatformPath = path): string {
  // The common case without path.relative, which costs more than the rest of listing a file.
  const prefix = dir.endsWith(p.sep) ? dir : dir + p.sep;
  if (absPath.startsWith(prefix) && absPath.length > prefix.length && !absPath.includes(`${p.sep}..`)) {
    const inside = absPath.slice(prefix.length);
    return p.sep === '/' ? inside : inside.split(p.sep).join('/');
  }
  return p.relative(dir, absPath).split(p.sep).join('/');
}

/** A file's path as reports show it: relative to `cwd`, forward slashes; a file named as `cwd` itself by its name. */
export function toReportPath(cwd: string, absPath: string, p: path.PlatformPath = path): string {
  return relativeSlashed(cwd, absPath, p) || p.basename(absPath);
}

/** Segments that make a relative path other than its plain reading: empty, `.` and `..`. */
const UNPLAIN = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * The absolute path of a report path (relative to `cwd`, forward slashes): toReportPath's inverse. A plain path is
 * joined by concatenation (this runs once per file when paths are excluded), anything else by path.resolve.
 */
export function fromReportPath(cwd: string, rel: string, p: path.PlatformPath = path): string {
  if (p.sep === '/' && p.isAbsolute(cwd) && !UNPLAIN.test(rel)) return cwd.endsWith('/') ? cwd + rel : `${cwd}/${rel}`;
  return p.resolve(cwd, rel);
}
