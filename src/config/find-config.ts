import { existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { readSmallFileSync } from '../sources/open-regular';

/** The JSON config file's name, looked for in the scan root and each folder above it. */
export const CONFIG_FILE_NAME = '.ms-leakscan.json';
/** Every config file name; one folder may hold one of them (two is an error: which one counts would be a guess). */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, '.ms-leakscan.yml', '.ms-leakscan.yaml'] as const;
/** The key of package.json that may hold the configuration instead. */
export const PACKAGE_JSON_KEY = 'ms-leakscan';
/**
 * The most a config file or package.json may hold on disk: the cap --policy-from puts on a config blob
 * (MAX_CONFIG_BYTES in commit-policy.ts, which imports this module), so a config passes or fails the same way from
 * either place; and a committed `package.json -> /dev/zero` cannot fill memory.
 */
export const CONFIG_MAX_BYTES = 1 << 20;

export interface ConfigLocation {
  /** Absolute path of the file. */
  file: string;
  /** Set when the configuration is this key of a package.json. */
  key?: typeof PACKAGE_JSON_KEY;
  /** A package.json key in the same folder that the config file shadows (worth a warning). */
  shadowed?: string;
}

function hasPackageJsonKey(file: string): boolean {
  try {
    // Read as the config is (no link followed, regular files only, capped): a package.json is repository data.
    const data = JSON.parse(readSmallFileSync(file, CONFIG_MAX_BYTES)) as unknown;
    return typeof data === 'object' && data !== null && PACKAGE_JSON_KEY in data;
  } catch {
    return false; // not ours to judge: a broken package.json simply holds no configuration
  }
}

/**
 * The configuration for a scan rooted at `startDir`: a config file (`.ms-leakscan.json`, `.ms-leakscan.yml` or
 * `.ms-leakscan.yaml`; two of them in one folder is an error naming both), else the `ms-leakscan` key of
 * package.json, in `startDir` or the nearest folder above it: the nearest folder with any of them wins. The search
 * stops at the top of the git work tree (the folder holding `.git`) or the filesystem root, so a scan never picks up
 * a config from outside its repository.
 */
export function findConfig(startDir: string): ConfigLocation | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const file = oneConfigFile(dir, CONFIG_FILE_NAMES.filter((name) => isFile(path.join(dir, name))));
    const pkg = path.join(dir, 'package.json');
    const pkgHasKey = existsSync(pkg) && hasPackageJsonKey(pkg);
    if (file) return pkgHasKey ? { file, shadowed: pkg } : { file };
    if (pkgHasKey) return { file: pkg, key: PACKAGE_JSON_KEY };
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

/** The one config file of a folder's `present` names, or a UserError naming them all when there are several. */
export function oneConfigFile(dir: string, present: readonly string[], show = (name: string): string => path.join(dir, name)): string | undefined {
  if (present.length > 1) {
    const names = present.map(show);
    throw new UserError(`config: ${names.slice(0, -1).join(', ')} and ${names.at(-1)} are both config files of one folder — keep one of them (delete or merge the other)`);
  }
  return present.length ? path.join(dir, present[0]) : undefined;
}

/**
 * The config file's name is taken: by a file, or by a link, FIFO or device, which loadConfig then refuses with a
 * clear error rather than the scan silently running without the config the repository meant to have.
 */
function isFile(file: string): boolean {
  try {
    return !lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The folder a scan of `paths` starts from: the first path (its folder, for a file), else `cwd`. */
export function scanRoot(cwd: string, paths: readonly string[] | undefined): string {
  const first = paths?.[0];
  if (!first) return cwd;
  const abs = path.resolve(cwd, first);
  try {
    return statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return cwd; // the source reports the missing path
  }
}
