import path from 'node:path';
import { addHookBlock, HOOK_BLOCK } from '../src/cli/commands/hook-text';
import { compilePathAllowlist } from '../src/config/allow';
import { ConfigProblem } from '../src/config/problem';
import { reportPath } from '../src/git/repo';
import { toReportPath } from '../src/paths';

// Windows cannot be run here: these run the path functions with path.win32, as Node.js on Windows would.
const win = path.win32;

describe('toReportPath with Windows paths', () => {
  it.each([
    ['a file under cwd', 'C:\\repo', 'C:\\repo\\src\\app.env', 'src/app.env'],
    ['cwd with a trailing backslash', 'C:\\repo\\', 'C:\\repo\\src\\app.env', 'src/app.env'],
    ['a drive root as cwd', 'C:\\', 'C:\\src\\app.env', 'src/app.env'],
    ['another case of the drive letter and folder (case-insensitive names)', 'c:\\Repo', 'C:\\repo\\src\\app.env', 'src/app.env'],
    ['a file above cwd', 'C:\\repo\\sub', 'C:\\repo\\app.env', '../app.env'],
    ['a file on another drive: absolute, forward slashes', 'C:\\repo', 'D:\\keys\\app.env', 'D:/keys/app.env'],
    ['a UNC share', '\\\\server\\share\\repo', '\\\\server\\share\\repo\\a\\b.env', 'a/b.env'],
    ['cwd itself (a file scanned by name)', 'C:\\repo\\app.env', 'C:\\repo\\app.env', 'app.env'],
    ['a name starting with two dots is no parent folder', 'C:\\repo', 'C:\\repo\\..env', '..env'],
  ])('%s', (_what, cwd, abs, expected) => {
    expect(toReportPath(cwd, abs, win)).toBe(expected);
  });

  it('is unchanged on POSIX', () => {
    expect(toReportPath('/repo', '/repo/src/app.env')).toBe('src/app.env');
    expect(toReportPath('/repo/sub', '/repo/app.env')).toBe('../app.env');
  });
});

describe('reportPath (git paths) with Windows paths', () => {
  it.each([
    // git prints the top with forward slashes (C:/repo); cwd comes from Node with backslashes.
    ['the top, as git writes it', { top: 'C:/repo', cwd: 'C:\\repo' }, 'src/app.env', 'src/app.env'],
    ['a subfolder', { top: 'C:/repo', cwd: 'C:\\repo\\src' }, 'src/app.env', 'app.env'],
    ['a sibling folder', { top: 'C:/repo', cwd: 'C:\\repo\\docs' }, 'src/app.env', '../src/app.env'],
    ['the drive letter in another case', { top: 'c:/repo', cwd: 'C:\\Repo\\src' }, 'src/app.env', 'app.env'],
  ])('%s', (_what, repo, gitPath, expected) => {
    expect(reportPath(repo, gitPath, win)).toBe(expected);
  });
});

describe('allowPaths / --exclude matching with Windows paths', () => {
  const allowed = compilePathAllowlist(['fixtures\\**', '*.pem', '/top.env'], 'C:\\repo', 'allowPaths', win);
  it.each([
    ['C:\\repo\\fixtures\\a\\b.env', true],
    ['C:\\repo\\src\\cert.pem', true],
    ['C:\\repo\\top.env', true],
    ['C:\\repo\\src\\top.env', false],
    ['C:\\repo\\src\\app.env', false],
    ['c:\\REPO\\fixtures\\a.env', true], // the folder part compares case-insensitively (path.relative on Windows)
    ['C:\\repo\\Fixtures\\a.env', false], // the glob compares names as stored: alike on every system
    ['D:\\repo\\fixtures\\a.env', false], // another drive is outside the config's folder
    ['C:\\other\\fixtures\\a.env', false],
  ])('%s → %s', (abs, expected) => {
    expect(allowed(abs)).toBe(expected);
  });

  it.each(['C:\\keys\\**', 'C:/keys/**', 'c:keys', '\\\\server\\share\\**'])('refuses the absolute glob %s', (glob) => {
    expect(() => compilePathAllowlist([glob], 'C:\\repo', 'allowPaths', win)).toThrow(ConfigProblem);
  });
});

describe('hooks with CRLF line endings (core.autocrlf)', () => {
  it('adds the block with CRLF, and finds it again', () => {
    const existing = '#!/bin/sh\r\nnpx lint-staged\r\n';
    const added = addHookBlock(existing, 'pre-commit');
    expect(added).toBe(`#!/bin/sh\r\nnpx lint-staged\r\n\r\n${HOOK_BLOCK.replace(/\n/g, '\r\n')}`);
    expect(added.replace(/\r\n/g, '')).not.toContain('\n');
    expect(addHookBlock(added, 'pre-commit')).toBe(added);
  });
});
