import yargs from 'yargs';
import { UserError } from '../errors';
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
  let collectedErr = '';
  const ctx: CommandContext = {
    cwd: environment.cwd ?? process.cwd(),
    env: environment.env ?? process.env,
    isTTY: environment.isTTY ?? false,
    stdoutIsTTY: environment.stdoutIsTTY ?? environment.isTTY ?? false,
    writeErr: environment.writeErr ?? ((text) => (collectedErr += text)),
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
      selected = { module, args };
    });
  }
  const debug = argv.includes('--debug');
  try {
    let helpText = '';
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      helpText = output;
    });
    if (!selected) return { exitCode: EXIT.clean, stdout: helpText ? `${helpText}\n` : '', stderr: collectedErr };
    const outcome = await selected.module.run(selected.args as never, ctx);
    return { ...outcome, stderr: collectedErr + outcome.stderr };
  } catch (error) {
    const message = error instanceof UserError ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)} — rerun with --debug and report it`;
    const trace = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
    return { exitCode: EXIT.error, stdout: '', stderr: `${collectedErr}ms-leakscan: ${message}\n${trace}` };
  }
}
