import path from 'node:path';
import picomatch from 'picomatch';
import { relativeSlashed } from '../paths';
import type { SecretAllowlist } from '../types';
import { ConfigProblem } from './problem';

/**
 * A glob as written in the config, in picomatch's terms. Backslashes are read as path separators, so a config
 * written on Windows (`fixtures\\**`) means the same everywhere; to match a literal `*` use `[*]`.
 */
export function normaliseGlob(glob: string, field: string): { pattern: string; anchored: boolean } {
  let pattern = glob.replace(/\\/g, '/');
  // C:/x, C:x (relative to drive C's current folder: no fixed meaning) and //server/share are not relative globs.
  if (/^[A-Za-z]:/.test(pattern) || pattern.startsWith('//')) {
    throw new ConfigProblem(field, `${JSON.stringify(glob)} is an absolute path — write it relative to the config file's folder`);
  }
  while (pattern.startsWith('./')) pattern = pattern.slice(2);
  const anchored = pattern.startsWith('/');
  if (anchored) pattern = pattern.replace(/^\/+/, '');
  if (pattern.endsWith('/')) pattern += '**';
  if (pattern === '') throw new ConfigProblem(field, `${JSON.stringify(glob)} matches nothing — name files or folders, e.g. "fixtures/**"`);
  return { pattern, anchored };
}

/**
 * Matcher for `allowPaths`: true for an absolute path whose path relative to `baseDir` matches a glob.
 * Like .gitignore, a glob without a slash matches the file name at any depth, and a leading slash anchors it.
 */
export function compilePathAllowlist(globs: readonly string[], baseDir: string, field: string, p: path.PlatformPath = path): (absPath: string) => boolean {
  const matchers = globs.map((glob, i) => {
    const { pattern, anchored } = normaliseGlob(glob, `${field}[${i}]`);
    try {
      return picomatch(pattern, { dot: true, basename: !anchored && !pattern.includes('/') });
    } catch (error) {
      throw new ConfigProblem(`${field}[${i}]`, `${JSON.stringify(glob)} is not a valid glob (${(error as Error).message}) — fix the pattern`);
    }
  });
  return (absPath) => {
    // Globs match the name as stored (case kept): alike on every system, so CI agrees with a Windows or macOS laptop.
    const rel = relativeSlashed(baseDir, absPath, p);
    if (rel === '' || rel.startsWith('../') || rel === '..' || p.isAbsolute(rel)) return false;
    return matchers.some((match) => match(rel));
  };
}

export type { SecretAllowlist } from '../types';

/** Matcher for `allowSecrets`, applied by the engine to the clear secret (never stored). */
export function compileSecretAllowlist(allow: SecretAllowlist, field: string): ((secret: string) => boolean) | undefined {
  const stopwords = (allow.stopwords ?? []).map((w) => w.toLowerCase());
  const regexes = (allow.regexes ?? []).map((source, i) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new ConfigProblem(`${field}.regexes[${i}]`, `is not a valid regular expression (${(error as Error).message}) — fix it`);
    }
  });
  if (stopwords.length === 0 && regexes.length === 0) return undefined;
  return (secret) => {
    const lower = secret.toLowerCase();
    return stopwords.some((w) => lower.includes(w)) || regexes.some((re) => re.test(secret));
  };
}
