import path from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../../errors';
import { toReportPath } from '../../paths';
import { describeReadError, readSmallFileBytesSync } from '../../sources/open-regular';
import type { CommandContext, CommandOutcome } from '../context';
import { OUTPUT_OPTIONS, SCAN_OPTIONS, type OutputArgs, type ScanArgs } from '../options';
import { scanAndReport } from '../scan-sources';
import { withRefusalHelp } from './staged';

export interface MessageArgs {
  file: string;
}

export type MessageCommandArgs = OutputArgs & ScanArgs & MessageArgs;

/** A commit message file larger than this is refused (git's own messages are a few KB; `-v` adds the diff below the scissors). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * The line `git commit -v` (or `commit.verbose`) writes above the diff it appends, with the comment character in
 * front: git drops it and everything after it from the message, so the diff's lines are not scanned here (the
 * pre-commit hook scans what is staged).
 */
const SCISSORS = /^\S ------------------------ >8 ------------------------\r?$/m;

export const REFUSED_MESSAGE_HELP = `ms-leakscan: commit refused: its message holds the key(s) above. Ways forward:
  1. Write the message again without the key (git keeps the refused text in
     .git/COMMIT_EDITMSG). It has not left this machine; if it was ever shared
     or pushed anywhere, rotate it in the Model Studio console.
  2. Not a real key: add "ms-leakscan:allow <reason>" on its line.
  3. git commit --no-verify commits anyway, skipping this check and every
     other commit-msg and pre-commit hook.
`;

/**
 * `ms-leakscan message FILE`: the commit message git is about to record (the commit-msg hook, given the file git
 * passes as "$1"). A key in a message is public as soon as the commit is pushed, and the pre-commit hook never sees
 * the message: this is the check that stops it on the developer's machine. The text above a `-v` scissors line is
 * scanned as one unit shown at FILE's path; git's comment lines are scanned too (`git commit -m` keeps them).
 */
export const messageCommand = {
  command: ['message <file>', 'commit-msg <file>'],
  describe: 'Scan a commit message file, as a commit-msg hook does (git passes it as "$1")',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', describe: 'The commit message file (.git/COMMIT_EDITMSG)' })
      .options(OUTPUT_OPTIONS)
      .options(SCAN_OPTIONS),
  async run(args: MessageCommandArgs, ctx: CommandContext): Promise<CommandOutcome> {
    const file = path.resolve(ctx.cwd, args.file);
    const text = messageOf(readMessage(file, args.file));
    const shown = toReportPath(ctx.cwd, file);
    const outcome = await scanAndReport('stdin', { ...args, stdinFilename: shown }, { ...ctx, stdin: [text] });
    return withRefusalHelp(outcome, args, REFUSED_MESSAGE_HELP);
  },
};

/** The bytes of the message file: a regular file, not a link, FIFO or device (see openRegularSync), at most MAX_MESSAGE_BYTES. */
function readMessage(file: string, given: string): Buffer {
  try {
    return readSmallFileBytesSync(file, MAX_MESSAGE_BYTES);
  } catch (error) {
    const hint = 'pass the file git gives a commit-msg hook: ms-leakscan message "$1"';
    throw new UserError(`commit message file ${JSON.stringify(given)}: ${describeReadError(error, hint, 'the message file')}`);
  }
}

/** The message as git will record it, as far as keys go: everything above the scissors line, if there is one. */
export function messageOf(bytes: Buffer): Buffer {
  const cut = bytes.toString('latin1').search(SCISSORS);
  return cut < 0 ? bytes : bytes.subarray(0, cut);
}
