import { isUtf8 } from 'node:buffer';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { pathText } from '../paths';

/**
 * Options every git call carries, so that a hostile repository (its .git/config, any file that config includes,
 * its refs) cannot make git run a program or hide a commit: no fsmonitor daemon, no hooks, no pager, no external
 * diff, no signature verification (gpg.program), no alternate-refs command, replace refs ignored. Textconv and filters are switched off by the commands' own flags (see diff.ts, log.ts);
 * `cat-file --batch` and `ls-files` apply none.
 */
export const SAFE_GIT_CONFIG = [
  '--no-pager',
  '--no-replace-objects',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.pager=cat',
  '-c', 'diff.external=',
  '-c', 'core.quotePath=false',
  '-c', 'log.showSignature=false',
  '-c', 'core.alternateRefsCommand=',
  // Output parsed as UTF-8 records: a repository asking for UTF-16 would put NULs inside them and hide every commit.
  '-c', 'i18n.logOutputEncoding=UTF-8',
] as const;

/**
 * Added to every call but a deliberate fetch: no credential helper or askpass program, and no transport (belt
 * and braces only: a repository's own `protocol.<name>.allow` outranks this; GIT_ALLOW_PROTOCOL below does not).
 */
const OFFLINE_GIT_CONFIG = ['-c', 'protocol.allow=never', '-c', 'credential.helper=', '-c', 'core.askPass='] as const;

/**
 * Environment every git call gets on top of the caller's. The network is closed: a partial clone's missing object
 * would otherwise be fetched lazily from its promisor remote, running whatever `core.sshCommand`,
 * `remote.*.uploadpack` or a transport helper the repository's config names. GIT_NO_LAZY_FETCH exists from git
 * 2.44 (and 2.39.4's security release); GIT_ALLOW_PROTOCOL set to an empty list forbids every transport on every git
 * version and overrides the repository's `protocol.*.allow` (a `-c protocol.allow=never` does not). Grafts in
 * `.git/info/grafts` hide commits like replace refs do: GIT_GRAFT_FILE points them at nothing.
 */
export const SAFE_GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PAGER: 'cat',
  GIT_EXTERNAL_DIFF: '',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_NO_LAZY_FETCH: '1',
  GIT_ALLOW_PROTOCOL: '',
  GIT_NO_REPLACE_OBJECTS: '1',
  GIT_GRAFT_FILE: '/dev/null',
};

/**
 * Transports a deliberate fetch may use (the Action's fetch of a pull request's commits, `--fetch-missing`): the
 * usual ones, never `ext::` (which runs a command by design).
 */
const FETCH_PROTOCOLS = 'https:http:ssh:git:file';

export interface GitCallOptions {
  /** Text written to git's standard input. */
  stdin?: string;
  /**
   * The call may reach the network (a fetch the user or the Action asked for). Every other call runs with all
   * transports forbidden, so git can never fetch behind our back.
   */
  network?: boolean;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * Variables of the caller's environment that choose which repository, index, objects or config git reads. They are
 * honoured, as git itself does (a pre-commit hook runs with GIT_INDEX_FILE set to the index being committed), and
 * every git call gets the same environment, so all of a scan reads one repository; a git error names the ones set,
 * so that a stale one is easy to spot.
 */
export const REPOSITORY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_PARAMETERS',
] as const;

const CONFIG_ENV = new Set<string>(['GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS']);

/** " (with GIT_DIR=… set in the environment)" when any of REPOSITORY_ENV is set, else "". */
export function environmentNote(env: NodeJS.ProcessEnv = process.env): string {
  // Paths are shown; injected config is named only, since it can carry credentials (http.extraHeader).
  const set = REPOSITORY_ENV.filter((name) => env[name] !== undefined).map((name) => (CONFIG_ENV.has(name) ? name : `${name}=${env[name]}`));
  return set.length ? ` (with ${set.join(', ')} set in the environment: git reads what they name — unset them if that is not meant)` : '';
}

/** The environment of a git call: the caller's (GIT_DIR and friends are honoured), then our safety settings. */
export function gitEnvironment(network = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...SAFE_GIT_ENV };
  if (network) {
    env.GIT_ALLOW_PROTOCOL = FETCH_PROTOCOLS;
    delete env.GIT_NO_LAZY_FETCH;
  }
  return env;
}

/** Starts git with the safe options and environment: the one place a git process is spawned. */
export function spawnGit(args: readonly string[], cwd: string, options: { stdin: 'pipe' | 'ignore'; network?: boolean }): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const config = options.network ? SAFE_GIT_CONFIG : [...SAFE_GIT_CONFIG, ...OFFLINE_GIT_CONFIG];
  return spawn('git', [...config, ...args], { cwd, env: gitEnvironment(options.network), stdio: [options.stdin, 'pipe', 'pipe'] }) as ChildProcessByStdio<
    Writable | null,
    Readable,
    Readable
  >;
}

/**
 * Runs git and streams its stdout to `onData` (never buffered whole); resolves when git exits 0.
 * Rejects with a GitError carrying git's own first stderr line otherwise.
 */
export function streamGit(args: readonly string[], cwd: string, onData: (chunk: Buffer) => void, options: GitCallOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, cwd, { stdin: options.stdin === undefined ? 'ignore' : 'pipe', network: options.network });
    let stderr = '';
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (error) => reject(new GitError(`could not run git: ${error.message}`, null, '')));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new GitError(firstLine(stderr) || `git ${args[0]} exited with ${code}`, code, stderr));
    });
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // git exited early: reported by 'close'
      child.stdin.end(options.stdin);
    }
  });
}

/** Runs git and returns its whole stdout, for small answers only (a ref, a path). */
export async function gitOutput(args: readonly string[], cwd: string, options: GitCallOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  await streamGit(args, cwd, (c) => chunks.push(c), options);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `git fetch …`: the only git call allowed to use the network, for fetches someone asked for (the Action's fetch of
 * the commits it must scan, `--fetch-missing`). Hooks, pagers and the rest stay off.
 */
export function gitFetch(args: readonly string[], cwd: string, options: { stdin?: string } = {}): Promise<string> {
  return gitOutput(['fetch', ...args], cwd, { ...options, network: true });
}

function firstLine(text: string): string {
  // Skip git's warnings and hints ("warning: This repository uses promisor remotes…") for the line that says why.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const fatal = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[0] ?? '';
  return fatal.replace(/^(fatal|error): /, '');
}

/**
 * Splits NUL-terminated records arriving in chunks, as bytes: a record is a view of the chunk (or of a join of the
 * chunks it spans, joined once its NUL arrives, so a long record costs linear time); copy it to keep it.
 */
export function nulByteSplitter(onRecord: (record: Buffer) => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  return (chunk) => {
    let start = 0;
    for (let at = chunk.indexOf(0); at >= 0; at = chunk.indexOf(0, start)) {
      const tail = chunk.subarray(start, at);
      onRecord(parts.length > 0 ? Buffer.concat([...parts, tail]) : tail);
      parts = [];
      start = at + 1;
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  };
}

/**
 * The same records as text, each record's bytes taken as a path is (`pathText`: UTF-8, or `\xNN` for bytes that are
 * not), so a name git lists has the same text here as in a patch or the working tree; `utf8` says whether the bytes
 * were valid UTF-8 (else the text cannot name the file back to git).
 */
export function nulSplitter(onRecord: (record: string, utf8: boolean) => void): (chunk: Buffer) => void {
  return nulByteSplitter((record) => {
    const utf8 = isUtf8(record);
    onRecord(utf8 ? record.toString('utf8') : pathText(record), utf8);
  });
}
