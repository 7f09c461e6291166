import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/**
 * Config that keeps git from running anything an untrusted repository asks for: no fsmonitor daemon,
 * no hooks, no textconv or filters in the commands we use, no pager, no prompts.
 */
export const SAFE_GIT_CONFIG = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.pager=cat',
  '-c', 'diff.external=',
  '-c', 'core.quotePath=false',
] as const;

export const SAFE_GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PAGER: 'cat',
  GIT_EXTERNAL_DIFF: '',
  GIT_CONFIG_NOSYSTEM: '1',
};

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
 * Runs git and streams its stdout to `onData` (never buffered whole); resolves when git exits 0.
 * Rejects with a GitError carrying git's own first stderr line otherwise.
 */
export function streamGit(args: readonly string[], cwd: string, onData: (chunk: Buffer) => void, stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_GIT_CONFIG, ...args], {
      cwd,
      env: { ...process.env, ...SAFE_GIT_ENV },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (error) => reject(new GitError(`could not run git: ${error.message}`, null, '')));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new GitError(firstLine(stderr) || `git ${args[0]} exited with ${code}`, code, stderr));
    });
    if (stdin !== undefined && child.stdin) child.stdin.end(stdin);
  });
}

/** Runs git and returns its whole stdout, for small answers only (a ref, a path). */
export async function gitOutput(args: readonly string[], cwd: string): Promise<string> {
  const chunks: Buffer[] = [];
  await streamGit(args, cwd, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString('utf8');
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l.length > 0)?.replace(/^(fatal|error): /, '') ?? '';
}

/** Splits NUL-terminated records arriving in chunks (decoded as UTF-8 once per chunk, not per record). */
export function nulSplitter(onRecord: (record: string) => void): (chunk: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  return (chunk) => {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let at = text.indexOf('\0'); at >= 0; at = text.indexOf('\0', start)) {
      onRecord(text.slice(start, at));
      start = at + 1;
    }
    rest = text.slice(start);
  };
}
