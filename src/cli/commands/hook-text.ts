import { UserError } from '../../errors';

/**
 * What `ms-leakscan init` puts in a pre-commit hook (sh; git runs hooks from the top of the work tree). The local
 * bin, not npx: npx resolves the package on every commit (1.16–1.33 s per commit against 0.31–0.37 s measured for the
 * bin, issue 14). `|| exit $?` makes a refusal end the hook even where lines follow and `sh -e` is not on (a plain
 * hook). Without an install, the commit goes on with a warning: a hook that blocks every commit of a fresh clone
 * before `npm install` gets deleted, which protects nothing afterwards.
 */
export const HOOK_BLOCK = `# ms-leakscan: refuse a commit that adds a Model Studio key (added by ms-leakscan init)
if [ -x node_modules/.bin/ms-leakscan ]; then
  node_modules/.bin/ms-leakscan staged || exit $?
elif command -v ms-leakscan >/dev/null 2>&1; then
  ms-leakscan staged || exit $?
else
  echo "ms-leakscan is not installed (no node_modules/.bin/ms-leakscan): this commit was NOT scanned for keys — run npm install" >&2
fi
`;

/**
 * What `ms-leakscan init` puts in a commit-msg hook: the message file git passes as "$1". Without an install it says
 * nothing (the pre-commit hook's lines already warned that the commit was not scanned).
 */
export const COMMIT_MSG_BLOCK = `# ms-leakscan: refuse a commit whose message holds a Model Studio key (added by ms-leakscan init)
if [ -x node_modules/.bin/ms-leakscan ]; then
  node_modules/.bin/ms-leakscan message "$1" || exit $?
elif command -v ms-leakscan >/dev/null 2>&1; then
  ms-leakscan message "$1" || exit $?
fi
`;

/** A hook init writes: its file name, our lines, and how to tell a hook that already runs us its own way. */
export interface HookSpec {
  name: 'pre-commit' | 'commit-msg';
  block: string;
  /** A line that already runs our check (`npx ms-leakscan staged`, a path to the bin, extra flags). */
  runsUs: RegExp;
  /** The line earlier versions of init wrote, replaced by the block (it skips npx). */
  oldLine?: RegExp;
  /** What the hook runs, for messages (`ms-leakscan staged`). */
  command: string;
  /** The same with the hook's arguments, as a line of the hook would run it (`ms-leakscan message "$1"`). */
  invocation: string;
}

export const PRE_COMMIT_HOOK: HookSpec = {
  name: 'pre-commit',
  block: HOOK_BLOCK,
  runsUs: /(^|[\s/])ms-leakscan\s+staged\b/m,
  oldLine: /^[ \t]*npx ms-leakscan staged[ \t]*\r?$/m,
  command: 'ms-leakscan staged',
  invocation: 'ms-leakscan staged',
};

export const COMMIT_MSG_HOOK: HookSpec = {
  name: 'commit-msg',
  block: COMMIT_MSG_BLOCK,
  runsUs: /(^|[\s/])ms-leakscan\s+(?:message|commit-msg)\b/m,
  command: 'ms-leakscan message',
  invocation: 'ms-leakscan message "$1"',
};
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

/**
 * `existing` with our block added, or `existing` itself when it already runs our check. The block goes
 * at the end, or before a last `exit`/`exec` line (after which nothing would run). A hook in another language
 * (a Python shebang) is refused: sh lines appended to it would break it.
 */
export function addHookBlock(existing: string, shown: string, spec: HookSpec = PRE_COMMIT_HOOK): string {
  // A hook checked out with CRLF (core.autocrlf on Windows) gets our lines with CRLF too, not a mix of both.
  if (existing.includes('\r\n')) {
    const added = addHookBlock(existing.replace(/\r\n/g, '\n'), shown, spec);
    return added === existing.replace(/\r\n/g, '\n') ? existing : added.replace(/\n/g, '\r\n');
  }
  if (spec.runsUs.test(existing)) return spec.oldLine?.test(existing) ? existing.replace(spec.oldLine, spec.block.trimEnd()) : existing;
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(existing);
  if (shebang) {
    const program = shebang[1].split('/').pop() ?? '';
    const shell = program === 'env' ? shebang[2] ?? '' : program;
    if (!SHELLS.has(shell)) {
      throw new UserError(
        `${shown} is a ${shell || 'non-shell'} script, to which ms-leakscan init cannot add shell lines — make it run "node_modules/.bin/${spec.invocation}" and fail when that fails, or rerun with --force to replace it`,
      );
    }
  }
  const lines = existing.replace(/\s+$/, '').split('\n');
  const last = findLastCommand(lines);
  const insertAt = last >= 0 && /^\s*(exit|exec)\b/.test(lines[last]) ? last : lines.length;
  const block = spec.block.trimEnd().split('\n');
  const before = lines.slice(0, insertAt);
  const after = lines.slice(insertAt);
  const separated = before.length > 0 && before.at(-1)!.trim() !== '' ? [...before, ''] : before;
  return `${[...separated, ...block, ...(after.length ? ['', ...after] : [])].join('\n')}\n`;
}

/** Index of the last line that is a command (not blank, not a comment), -1 when none. */
function findLastCommand(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line !== '' && !line.startsWith('#')) return i;
  }
  return -1;
}
