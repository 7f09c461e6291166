import yargs from 'yargs';
import { UserError } from '../errors';
import { escapeControl, scrubSecrets } from '../report/scrub';
import type { VerifyTransport } from '../verify/endpoints';
import { packageInfo } from '../version';
import { baselineCommand } from './commands/baseline';
import { diffCommand } from './commands/diff';
import { historyCommand } from './commands/history';
import { initCommand } from './commands/init';
import { mergeCommand } from './commands/merge';
import { scanCommand } from './commands/scan';
import { stagedCommand } from './commands/staged';
import type { CommandContext, CommandOutcome } from './context';
import { EXIT } from './report-outcome';

export interface RunEnvironment {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** Live standard error (progress); when absent, standard error is collected into the result. */
  writeErr?: (text: string) => void;
  /**
   * Tests only: where --verify sends its checks (a local server) and the CA to trust. Deliberately not a flag,
   * a config key or an environment variable, so no one can redirect keys found in a scan by editing a file.
   */
  verifyTransport?: VerifyTransport;
}

interface CommandModule {
  command: string | string[];
  describe: string;
  builder: (y: ReturnType<typeof yargs>) => ReturnType<typeof yargs>;
  // Each command declares its own argument type; yargs hands over the parsed object.
  run(args: never, ctx: CommandContext): Promise<CommandOutcome>;
}

/** Every command; a new command adds its module here and nothing else. */
const COMMANDS: CommandModule[] = [
  scanCommand as CommandModule,
  stagedCommand as CommandModule,
  historyCommand as CommandModule,
  diffCommand as CommandModule,
  initCommand as CommandModule,
  baselineCommand as CommandModule,
  mergeCommand as CommandModule,
];

/**
 * The CLI as a function: argv in, exit code and output out. Only src/cli/main.ts touches the real process.
 */
export async function run(argv: readonly string[], environment: RunEnvironment = {}): Promise<CommandOutcome> {
  // The output edge: everything run() prints, live or returned, passes the scrubber, so no key in a commit subject,
  // an author, a path or a config value quoted in an error is printed whole. Only --show-secret turns it off.
  const edge = { showSecret: false };
  const scrub = (text: string): string => (edge.showSecret ? text : scrubSecrets(text));
  const outcome = await runCommand(argv, environment, scrub, edge);
  return { ...outcome, stdout: scrub(outcome.stdout), stderr: scrub(outcome.stderr) };
}

async function runCommand(
  argv: readonly string[],
  environment: RunEnvironment,
  scrub: (text: string) => string,
  edge: { showSecret: boolean },
): Promise<CommandOutcome> {
  let collectedErr = '';
  const liveErr = environment.writeErr;
  const ctx: CommandContext = {
    cwd: environment.cwd ?? process.cwd(),
    env: environment.env ?? process.env,
    isTTY: environment.isTTY ?? false,
    stdoutIsTTY: environment.stdoutIsTTY ?? environment.isTTY ?? false,
    writeErr: liveErr ? (text) => liveErr(scrub(text)) : (text) => (collectedErr += text),
    ...(environment.verifyTransport ? { verifyTransport: environment.verifyTransport } : {}),
  };
  let selected: { module: CommandModule; args: unknown } | undefined;
  const parser = yargs([...argv])
    .scriptName('ms-leakscan')
    .usage('$0 [command] [paths..]\n\nFinds Alibaba Cloud Model Studio (DashScope / Bailian) API keys and AccessKeys.')
    .version(packageInfo().version)
    .help()
    .alias('h', 'help')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs' own parse errors (YError: a missing option value, …) are usage errors like its messages;
      // some span lines ("Invalid values:\n  Argument: …"): one line, as every error.
      if (error && error.name !== 'YError') throw error;
      throw new UserError(`${(message ?? error?.message ?? '').replace(/\s*\n\s*/g, ' ')} — run ms-leakscan --help for usage`);
    })
    .epilog('Exit codes: 0 nothing at or above --fail-level, 1 findings, 2 usage, config or runtime error.');
  for (const module of COMMANDS) {
    parser.command(module.command, module.describe, module.builder, (args) => {
      selected = { module, args: withPathsAfterDoubleDash(args, argv) };
    });
  }
  const debug = argv.includes('--debug');
  try {
    let helpText = '';
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      helpText = output;
    });
    if (!selected) return { exitCode: EXIT.clean, stdout: helpText ? `${helpText}\n` : '', stderr: collectedErr };
    edge.showSecret = (selected.args as { showSecret?: boolean }).showSecret === true;
    const outcome = await selected.module.run(selected.args as never, ctx);
    return { ...outcome, stderr: collectedErr + outcome.stderr };
  } catch (error) {
    // Messages quote paths and values from data: control characters escaped, so the one line stays one line.
    const message = escapeControl(
      error instanceof UserError ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)} — rerun with --debug and report it`,
    );
    const trace = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
    return { exitCode: EXIT.error, stdout: '', stderr: `${collectedErr}ms-leakscan: ${message}\n${trace}` };
  }
}

/**
 * `ms-leakscan -- DIR`: yargs leaves what follows `--` out of the positional `paths` (it lands in `_`), and the
 * default `['.']` took its place, so the current folder was scanned instead of DIR. Paths after `--` are added to
 * those before it; the default `.` counts only when no path was given at all.
 */
function withPathsAfterDoubleDash(args: Record<string, unknown>, argv: readonly string[]): Record<string, unknown> {
  const dash = argv.indexOf('--');
  if (dash < 0 || !Array.isArray(args.paths)) return args;
  const after = argv.slice(dash + 1);
  if (after.length === 0) return args;
  const before = args.paths as string[];
  const defaulted = before.length === 1 && before[0] === '.' && !argv.slice(0, dash).includes('.');
  return { ...args, paths: [...(defaulted ? [] : before), ...after] };
}
