import { run } from './run';

/** The process edge: argv in, report out, exit code set. */
export async function main(): Promise<void> {
  const outcome = await run(process.argv.slice(2), {
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    writeErr: (text) => process.stderr.write(text),
  });
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
