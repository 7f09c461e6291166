import { isUtf8 } from 'node:buffer';
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

/**
 * A path's bytes as text: UTF-8 where it is valid, `\xNN` for each byte that is not, so that it prints and two names
 * stay two (a lossy decoding would show both `a\xff` and `a\xfe` as `a\ufffd`). Paths from the file system and from
 * git (listings, patches, history) all go through it, so a file has one name in every report.
 */
export function pathText(buffer: Buffer): string {
  if (isUtf8(buffer)) return buffer.toString('utf8');
  let out = '';
  let at = 0;
  while (at < buffer.length) {
    const lead = buffer[at];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    const sequence = length > 0 ? buffer.subarray(at, at + length) : undefined;
    if (sequence && sequence.length === length && isUtf8(sequence)) {
      out += sequence.toString('utf8');
      at += length;
    } else {
      out += `\\x${lead.toString(16).padStart(2, '0')}`;
      at++;
    }
  }
  return out;
}
