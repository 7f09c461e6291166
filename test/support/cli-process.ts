import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'ms-leakscan.js');

export interface ProcessOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Killed after `timeoutMs`: the run blocked or never ended. */
  timedOut: boolean;
}

/**
 * The built CLI (dist/) as a child process, killed after `timeoutMs`: for hostile files (a FIFO, /dev/zero) whose
 * regression would block a synchronous read, or fill memory, inside the test process itself, where no jest timeout
 * could end it. Memory is capped too, so a read without end fails fast instead of swapping.
 */
export function runCliProcess(argv: string[], cwd: string, timeoutMs = 20_000): ProcessOutcome {
  return runProcess(process.execPath, ['--max-old-space-size=256', BIN, ...argv], cwd, timeoutMs);
}

/** Any command, as runCliProcess runs the CLI (`sh -c "… | head -1"`). */
export function runProcess(command: string, args: string[], cwd: string, timeoutMs = 20_000): ProcessOutcome {
  const child = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { exitCode: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '', timedOut: child.error !== undefined || child.signal === 'SIGKILL' };
}

export const BIN_PATH = BIN;
