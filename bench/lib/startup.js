'use strict';
/** The pre-commit path: Node's own start-up, `--version`, and `staged` on a repository with a 10-file change. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { loadKeyGenerator } = require('./keys');

/** A small repository with 10 staged files (one holding a key), made once under `root`. */
function ensureStagedRepo(root) {
  const dir = path.join(root, 'staged-10');
  if (fs.existsSync(path.join(dir, '.git', 'bench-ready'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'Bench');
  for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(dir, 'src', `file-${i}.js`), `export const value${i} = ${i};\n`.repeat(50));
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const { KeyGenerator } = loadKeyGenerator();
  const gen = new KeyGenerator('bench-staged');
  for (let i = 0; i < 10; i++) {
    const extra = i === 0 ? `const apiKey = "${gen.legacy()}"; // dashscope\n` : `export const more${i} = ${i};\n`;
    fs.appendFileSync(path.join(dir, 'src', `file-${i}.js`), extra);
  }
  git('add', '.');
  fs.writeFileSync(path.join(dir, '.git', 'bench-ready'), '');
  return dir;
}

function startupCommands(root, benchDir, hasStaged) {
  const bin = path.join(root, 'bin', 'ms-leakscan.js');
  const list = [
    { name: 'node -e 0', argv: ['node', '-e', '0'] },
    { name: 'ms-leakscan --version', argv: ['node', bin, '--version'] },
  ];
  if (hasStaged) list.push({ name: 'ms-leakscan staged (10 files)', argv: ['node', bin, 'staged', '--quiet'], cwd: ensureStagedRepo(benchDir), okCodes: [1] });
  return list;
}

module.exports = { startupCommands, os };
