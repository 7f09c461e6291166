/** `--help` examples per command (yargs `.example`), kept beside each other so they read as one set. */
export const EXAMPLES: Record<string, readonly (readonly [string, string])[]> = {
  scan: [
    ['$0', 'the current folder, minus what .gitignore excludes'],
    ['$0 src -f sarif -o leaks.sarif', 'one folder, SARIF report to a file'],
    ['$0 --exclude "fixtures/**"', 'skip the test fixtures'],
    ['$0 --max-file-size 5MB', 'skip files over 5 MB'],
    ['$0 --no-ignore build/', 'also files .gitignore excludes'],
  ],
  staged: [
    ['$0 staged', 'what the next commit adds (the pre-commit hook)'],
    ['$0 staged --all-lines', 'every line of the staged files'],
  ],
  history: [
    ['$0 history', 'every commit of every branch and tag'],
    ['$0 history --since-commit v1.2', 'only commits since a tag'],
    ['$0 history --branch main', 'one branch'],
    ['$0 history --verify', 'and which of the keys still work'],
  ],
  diff: [
    ['$0 diff --base origin/main', 'the commits a branch adds to main'],
    ['$0 diff --base $BASE --head HEAD', 'in CI: a pull request'],
  ],
  init: [['$0 init', 'add the scan to the pre-commit hook']],
  baseline: [
    ['$0 baseline -o known.baseline', 'record the working tree\'s findings'],
    ['$0 baseline --source history', "the history's findings"],
  ],
};
