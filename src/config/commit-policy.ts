import path from 'node:path';
import { UserError } from '../errors';
import type { Repository } from '../git/repo';
import { isRegularBlob, listCommitFolder, commitEntry, readBlobText, type TreeEntry } from '../git/tree';
import { parseBaseline, readBaseline, type BaselineEntry } from './baseline';
import { CONFIG_FILE_NAMES, oneConfigFile, PACKAGE_JSON_KEY } from './find-config';
import { displayPath, loadConfig, loadConfigText, type LoadedConfig } from './load-config';

/** Larger config and baseline blobs are refused: policy is small, and a blob is read whole. */
export const MAX_CONFIG_BYTES = 1 << 20;
export const MAX_BASELINE_BYTES = 16 << 20;

/** Which policy to read from a commit: the same choices as on disk (`--config`, `--baseline`, or discovery). */
export interface PolicyRequest {
  repo: Repository;
  /** Full commit id. */
  commit: string;
  /** The caller's folder (as given; `repo.cwd` is the same folder resolved). */
  cwd: string;
  /** Absolute folder the config search starts from (the scan root). */
  startDir: string;
  /** `--config FILE`, or false for `--no-config`. */
  config?: string | false;
  baseline?: string;
}

/** A policy file as it is in one commit: what decides whether another commit has the same policy. */
export interface PolicySource {
  /** Path from the top of the repository. */
  gitPath: string;
  /** Blob id; for a package.json key, the key's JSON text; `-` when the commit has no such file. */
  identity: string;
}

/** The policy of a commit, ready for a scan. */
export interface CommitPolicy {
  commit: string;
  config?: LoadedConfig;
  baseline?: { display: string; entries: BaselineEntry[] };
  /** The policy files read from the commit. */
  sources: PolicySource[];
  warnings: string[];
}

/** Where the config was found: a path of the commit (`key` for package.json), or a file on disk outside the repository. */
type ConfigPlace = { gitPath: string; key?: typeof PACKAGE_JSON_KEY; entry?: TreeEntry; keyText?: string; shadowed?: string } | { disk: string };

/** A path (absolute, as the caller names it) from the repository's top, or undefined when it is outside the repository. */
function gitPathOf(req: PolicyRequest, abs: string): string | undefined {
  const rel = path.relative(req.repo.top, path.join(req.repo.cwd, path.relative(req.cwd, abs)));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Where a path of the repository is, as the caller names it (so allowPaths and report paths line up). */
function callerPath(req: PolicyRequest, gitPath: string): string {
  return path.resolve(req.cwd, path.relative(req.repo.cwd, path.join(req.repo.top, gitPath)));
}

const joinGit = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);
const parentGit = (dir: string): string => (dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
const shortName = (req: PolicyRequest, gitPath: string): string => `${req.commit.slice(0, 12)}:${gitPath}`;

/** The `ms-leakscan` key of a package.json blob as JSON text, or undefined (no key, too large, not JSON). */
async function packageJsonKey(req: PolicyRequest, entry: TreeEntry): Promise<string | undefined> {
  if (!isRegularBlob(entry) || (entry.size ?? Infinity) > MAX_CONFIG_BYTES) return undefined;
  try {
    const data = JSON.parse((await readBlobText(req.repo, entry.oid)).replace(/^\uFEFF/, '')) as unknown;
    if (typeof data !== 'object' || data === null || !(PACKAGE_JSON_KEY in data)) return undefined;
    return JSON.stringify({ [PACKAGE_JSON_KEY]: (data as Record<string, unknown>)[PACKAGE_JSON_KEY] });
  } catch {
    return undefined; // as on disk: a broken package.json holds no configuration
  }
}

/** The config the commit's tree gives, searched as on disk: from the scan root up to the top. */
async function findConfigPlace(req: PolicyRequest): Promise<ConfigPlace | undefined> {
  if (req.config === false) return undefined;
  if (req.config) {
    const abs = path.resolve(req.cwd, req.config);
    const gitPath = gitPathOf(req, abs);
    // A file outside the repository is not part of any commit: the caller chose it, it is read as given.
    if (gitPath === undefined) return { disk: abs };
    return { gitPath, entry: await commitEntry(req.repo, req.commit, gitPath) };
  }
  let dir = gitPathOf(req, req.startDir) ?? '';
  for (;;) {
    const entries = await listCommitFolder(req.repo, req.commit, dir);
    if (entries) {
      const present = CONFIG_FILE_NAMES.filter((name) => entries.some((e) => e.name === name && e.mode !== '040000'));
      const name = oneConfigFile(dir, present, (n) => shortName(req, joinGit(dir, n)));
      const file = name && entries.find((e) => e.name === path.basename(name) && e.mode !== '040000');
      const pkg = entries.find((e) => e.name === 'package.json');
      const keyText = pkg && (await packageJsonKey(req, pkg));
      if (file) return { gitPath: joinGit(dir, file.name), entry: file, ...(keyText ? { shadowed: joinGit(dir, 'package.json') } : {}) };
      if (pkg && keyText) return { gitPath: joinGit(dir, 'package.json'), key: PACKAGE_JSON_KEY, entry: pkg, keyText };
    }
    if (dir === '') return undefined;
    dir = parentGit(dir);
  }
}

/** The text of a policy blob, or a one-line error when it is not a small regular file of the commit. */
async function policyText(req: PolicyRequest, what: 'config' | 'baseline', gitPath: string, entry: TreeEntry | undefined, max: number): Promise<string> {
  const name = shortName(req, gitPath);
  if (!entry) {
    const fix = what === 'config' ? 'commit it there, or fix the path given to --config' : `commit a baseline made by ms-leakscan baseline --output ${gitPath}, or fix the path`;
    throw new UserError(`${what} ${name}: commit ${req.commit.slice(0, 12)} (--policy-from) has no such file — ${fix}`);
  }
  if (!isRegularBlob(entry)) {
    throw new UserError(`${what} ${name}: is not a regular file in that commit (mode ${entry.mode}) — the ${what} must be a plain file, not a link, folder or submodule`);
  }
  if ((entry.size ?? 0) > max) throw new UserError(`${what} ${name}: ${entry.size} bytes is more than the ${max} a ${what} may have — is it the right file?`);
  return readBlobText(req.repo, entry.oid);
}

/**
 * The config, custom rules and baseline of a commit, read with git (never from the work tree), so that a change
 * under scan cannot set its own policy. Files named outside the repository are read from disk: no commit holds
 * them, and whoever runs the scan chose them.
 */
export async function loadCommitPolicy(req: PolicyRequest): Promise<CommitPolicy> {
  const sources: PolicySource[] = [];
  const warnings: string[] = [];
  const place = await findConfigPlace(req);
  let config: LoadedConfig | undefined;
  if (place && 'disk' in place) config = loadConfig({ file: place.disk }, req.cwd);
  else if (place) {
    const text = place.keyText ?? (await policyText(req, 'config', place.gitPath, place.entry, MAX_CONFIG_BYTES));
    config = loadConfigText(text, { file: callerPath(req, place.gitPath), ...(place.key ? { key: place.key } : {}) }, shortName(req, place.gitPath));
    sources.push({ gitPath: place.gitPath, identity: place.keyText ?? (place.entry as TreeEntry).oid });
    if (place.shadowed) warnings.push(`${shortName(req, place.shadowed)}: its "ms-leakscan" key is ignored because ${shortName(req, place.gitPath)} is used — keep one of them`);
  }

  let baseline: CommitPolicy['baseline'];
  const baselineFile = req.baseline ? path.resolve(req.cwd, req.baseline) : config?.baseline;
  if (baselineFile) {
    const gitPath = gitPathOf(req, baselineFile);
    if (gitPath === undefined) {
      if (!req.baseline) {
        throw new UserError(
          `config ${config?.display}: baseline ${config?.data.baseline} is outside the repository — with --policy-from the baseline is read from the commit, so keep it inside the repository`,
        );
      }
      const display = displayPath(req.cwd, baselineFile);
      baseline = { display, entries: readBaseline(baselineFile, display) };
    } else {
      const entry = await commitEntry(req.repo, req.commit, gitPath);
      const display = shortName(req, gitPath);
      baseline = { display, entries: parseBaseline(await policyText(req, 'baseline', gitPath, entry, MAX_BASELINE_BYTES), display) };
      sources.push({ gitPath, identity: (entry as TreeEntry).oid });
    }
  }
  return { commit: req.commit, ...(config ? { config } : {}), ...(baseline ? { baseline } : {}), sources, warnings };
}

/**
 * The policy files that `other` (e.g. a pull request's head) has otherwise than the policy was read: the policy
 * files themselves, and a config that `other` would use instead. Nothing of `other` is validated or applied.
 */
export async function changedPolicyFiles(req: PolicyRequest, policy: CommitPolicy, other: string): Promise<string[]> {
  const there = { ...req, commit: other };
  const changed = new Set<string>();
  for (const source of policy.sources) {
    const entry = await commitEntry(req.repo, other, source.gitPath);
    const identity = !entry ? '-' : source.identity.startsWith('{') ? ((await packageJsonKey(there, entry)) ?? '-') : entry.oid;
    if (identity !== source.identity) changed.add(source.gitPath);
  }
  if (req.config === undefined) {
    // A config the other commit adds nearer the scan root, or where the policy commit has none.
    const place = await findConfigPlace(there);
    if (place && 'gitPath' in place && !policy.sources.some((s) => s.gitPath === place.gitPath)) changed.add(place.gitPath);
  }
  return [...changed].sort();
}
