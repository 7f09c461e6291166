import { EXIT } from './report-outcome';
import { run } from './run';

/**
 * Ends the process quietly when the reader of standard output or error has gone (`| head -1`: EPIPE), and with
 * one line and exit 2 on any other write error (a full disk), instead of an unhandled 'error' event's stack trace.
 */
function guardStream(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      // The reader took what it wanted; nothing more can be said on this stream.
      process.exit(process.exitCode ?? 0);
    }
    if (name !== 'standard error') {
      try {
        process.stderr.write(`ms-leakscan: cannot write the report to ${name}: ${error.code ?? error.message} — free some disk space or write it elsewhere with --output\n`);
      } catch {
        // standard error is broken as well: the exit code still tells
      }
    }
    process.exit(EXIT.error); // the report was not delivered: a runtime error
  });
}

/** The process edge: argv in, report out, exit code set. */
export async function main(): Promise<void> {
  guardStream(process.stdout, 'standard output');
  guardStream(process.stderr, 'standard error');
  const outcome = await run(process.argv.slice(2), {
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    ...(process.stderr.isTTY && process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
    writeErr: (text) => process.stderr.write(text),
  });
  process.exitCode = outcome.exitCode;
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
}
