import { lstatSync } from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import { UserError } from '../errors';
import { DEFAULT_WIDTH } from '../report/format';
import { escapeControl, scrubSecrets } from '../report/scrub';
import type { Rule } from '../types';
import type { VerifyTransport } from '../verify/endpoints';
import { packageInfo } from '../version';
import { baselineCommand } from './commands/baseline';
import { diffCommand } from './commands/diff';
import { historyCommand } from './commands/history';
import { initCommand } from './commands/init';
import { mergeCommand } from './commands/merge';
import { messageCommand } from './commands/message';
import { scanCommand } from './commands/scan';
import { stagedCommand } from './commands/staged';
import type { CommandContext, CommandOutcome } from './context';
import { EXAMPLES } from './examples';
import { EXIT } from './report-outcome';

export interface RunEnvironment {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** Columns of standard output when it is a terminal (the text report and --help wrap to it; 80 otherwise). */
  columns?: number;
  /** Columns of standard error when it is a terminal (the progress line never exceeds it). */
  stderrColumns?: number;
  /** Live standard error (progress); when absent, standard error is collected into the result. */
  writeErr?: (text: string) => void;
  /** Standard input, read only by `ms-leakscan -` (default: none, so a test never waits on the real one). */
  stdin?: AsyncIterable<Buffer> | Iterable<Buffer>;
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
  messageCommand as CommandModule,
  historyCommand as CommandModule,
  diffCommand as CommandModule,
  initCommand as CommandModule,
  baselineCommand as CommandModule,
  mergeCommand as CommandModule,
];

/** What the output edge knows: whether secrets may be shown, and the rules whose key shapes it masks besides the built-in ones. */
interface OutputEdge {
  showSecret: boolean;
  rules: readonly Rule[];
}

/**
 * The CLI as a function: argv in, exit code and output out. Only src/cli/main.ts touches the real process.
 */
export async function run(argv: readonly string[], environment: RunEnvironment = {}): Promise<CommandOutcome> {
  // The output edge: everything run() prints, live or returned, passes the scrubber, so no key in a commit subject,
  // an author, a path or a config value quoted in an error is printed whole. Only --show-secret turns it off.
  const edge: OutputEdge = { showSecret: false, rules: [] };
  const scrub = (text: string): string => (edge.showSecret ? text : scrubSecrets(text, edge.rules));
  const outcome = await runCommand(argv, environment, scrub, edge);
  return { ...outcome, stdout: scrub(outcome.stdout), stderr: scrub(outcome.stderr) };
}

async function runCommand(
  argv: readonly string[],
  environment: RunEnvironment,
  scrub: (text: string) => string,
  edge: OutputEdge,
): Promise<CommandOutcome> {
  let collectedErr = '';
  const liveErr = environment.writeErr;
  const ctx: CommandContext = {
    cwd: environment.cwd ?? process.cwd(),
    env: environment.env ?? process.env,
    isTTY: environment.isTTY ?? false,
    stdoutIsTTY: environment.stdoutIsTTY ?? environment.isTTY ?? false,
    ...(environment.columns ? { columns: environment.columns } : {}),
    ...(environment.stderrColumns ? { stderrColumns: environment.stderrColumns } : {}),
    writeErr: liveErr ? (text) => liveErr(scrub(text)) : (text) => (collectedErr += text),
    scrub,
    useRules: (rules) => {
      edge.rules = rules;
    },
    stdin: environment.stdin ?? [],
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
    // One column short of the width: tidyHelp may add a space before a [type] yargs glued to a full line.
    .wrap(Math.min(110, environment.columns ?? DEFAULT_WIDTH) - 1)
    .fail((message, error) => {
      // yargs' own parse errors (YError: a missing option value, …) are usage errors like its messages;
      // some span lines ("Invalid values:\n  Argument: …"): one line, as every error.
      if (error && error.name !== 'YError') throw error;
      const text = oneUnknownPerOption((message ?? error?.message ?? '').replace(/\s*\n\s*/g, ' '));
      // Our own messages (a --max-file-size that is no size) already say what to do.
      throw new UserError(text.includes(' — ') ? text : `${text} — run ms-leakscan --help for usage`);
    })
    .epilog('Exit codes: 0 nothing at or above --fail-level, 1 findings, 2 usage, config or runtime error.');
  for (const module of COMMANDS) {
    const name = commandName(module);
    const builder = (y: ReturnType<typeof yargs>) => (EXAMPLES[name] ?? []).reduce((built, [example, what]) => built.example(example, what), module.builder(y));
    parser.command(module.command, module.describe, builder, (args) => {
      selected = { module, args: withStdinDash(withPathsAfterDoubleDash(args, argv), argv) };
    });
  }
  const debug = argv.includes('--debug');
  try {
    refuseMistypedCommand(argv, ctx.cwd);
    let helpText = '';
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      helpText = output;
    });
    if (!selected) return { exitCode: EXIT.clean, stdout: helpText ? `${tidyHelp(helpText)}\n` : '', stderr: collectedErr };
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

/** A command module's name: the first word of its (first) command string. */
function commandName(module: CommandModule): string {
  return (Array.isArray(module.command) ? module.command[0] : module.command).split(' ')[0];
}

/**
 * yargs names an unknown option once per spelling it derives (`Unknown arguments: max-size, maxSize`): each option
 * once, as typed (the kebab-case form), with its dashes.
 */
export function oneUnknownPerOption(message: string): string {
  const match = /^Unknown arguments?: (.*)$/.exec(message);
  if (!match) return message;
  const names = match[1].split(', ');
  const kebab = new Set(names.filter((n) => n.includes('-')).map((n) => n.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())));
  const kept = [...new Set(names.filter((n) => !kebab.has(n)))];
  const shown = kept.map((n) => (n.startsWith('-') ? n : n.length === 1 ? `-${n}` : `--${n}`));
  return `unknown option${shown.length === 1 ? '' : 's'} ${shown.join(', ')}`;
}

/** yargs glues a type to a description that fills the column (`standard output[string]`): a space between. */
function tidyHelp(help: string): string {
  return help.replace(/(\S)(\[(?:boolean|string|number|array|count|choices:|default:|required|aliases:|deprecated)[^\]]*\])/g, '$1 $2');
}

/**
 * `ms-leakscan histroy` was taken for a scan of a path named histroy, which does not exist. When the first word is
 * no command, no existing path, and close to a command's name (at most two edits), say which command was meant.
 */
function refuseMistypedCommand(argv: readonly string[], cwd: string): void {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || first.length < 3) return;
  const names = COMMANDS.map(commandName);
  if (names.includes(first)) return;
  try {
    lstatSync(path.resolve(cwd, first));
    return;
  } catch {
    // no such path: a mistyped command, perhaps
  }
  const [best] = names.map((name) => ({ name, distance: editDistance(first.toLowerCase(), name) })).sort((a, b) => a.distance - b.distance);
  if (best.distance > 2) return;
  throw new UserError(`${first}: no such command, file or folder — did you mean ms-leakscan ${best.name}? (to scan a path of that name, create it or write ./${first})`);
}

/** Levenshtein distance, counting a swap of two neighbours as one edit (`histroy` → `history`). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
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

/**
 * `ms-leakscan -`: yargs drops a lone `-` from the positionals, so the default `.` took its place and the current
 * folder was scanned instead of standard input. A `-` that is no option's value is put back among the paths.
 */
function withStdinDash(args: Record<string, unknown>, argv: readonly string[]): Record<string, unknown> {
  if (!Array.isArray(args.paths)) return args;
  const dash = argv.indexOf('--');
  const dashes = (dash < 0 ? argv : argv.slice(0, dash)).filter((a) => a === '-').length;
  // Options' values, each counted once (yargs sets both the kebab-case and the camelCase key).
  const asValues = Object.entries(args).filter(([key, value]) => value === '-' && !key.includes('-') && key !== '_' && key !== '$0').length;
  if (dashes <= asValues) return args;
  const before = args.paths as string[];
  const defaulted = before.length === 1 && before[0] === '.' && !argv.includes('.');
  return { ...args, paths: [...(defaulted ? [] : before), '-'] };
}
