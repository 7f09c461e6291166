'use strict';
/** The baselines: ripgrep with issue 12's five patterns, secretlint with our rules as plain regexes, cat (the read floor), git log -p. */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** Our rules, approximated as regexes both ripgrep (Rust) and secretlint (JS) accept: no look-behind. */
const SIGNED = 'H\\.[A-Z]{2,12}\\.[A-Za-z0-9]{2,8}\\.[A-Za-z0-9_-]{60,140}';
const PATTERNS = [
  'sk-[0-9a-f]{32}',
  `sk-ws-${SIGNED}`,
  `sk-sp-(?:[0-9a-f]{32}|${SIGNED})`,
  'st-[0-9a-f]{24,128}',
  'LTAI[A-Za-z0-9]{12,20}',
  '(?i:access[_-]?key[_-]?secret|secret[_-]?access[_-]?key)[^A-Za-z0-9]{1,8}[A-Za-z0-9]{30}',
];

/** The five patterns issue 12 measured ripgrep with (a simpler AccessKey secret: any 30 alphanumerics after "secret"). */
const RG_PATTERNS = [
  'sk-[0-9a-f]{32}',
  'sk-(ws|sp)-[A-Za-z0-9._-]{32,}',
  'LTAI[A-Za-z0-9]{12,20}',
  'st-[0-9a-f]{16,}',
  '[Ss]ecret.{0,40}[A-Za-z0-9]{30}',
];

function has(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** secretlint + the pattern rule, installed on demand into .bench/tools (never into package.json). */
function ensureSecretlint(benchDir, log) {
  const prefix = path.join(benchDir, 'tools');
  const bin = path.join(prefix, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  if (!fs.existsSync(bin)) {
    log('installing secretlint into .bench/tools …');
    try {
      execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'secretlint@13', '@secretlint/secretlint-rule-pattern@13'], { stdio: 'ignore' });
    } catch {
      log('  secretlint could not be installed; skipped');
      return undefined;
    }
  }
  const rc = path.join(prefix, 'secretlintrc.json');
  const jsPatterns = PATTERNS.map((p) => `/${p.replace('(?i:', '(?:')}/${p.includes('(?i:') ? 'i' : ''}`);
  fs.writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-pattern', options: { patterns: [{ name: 'model-studio', patterns: jsPatterns }] } }] }, null, 1));
  return { bin, rc };
}

/** Commands for a tree `dir`; each is { name, argv | shell, cwd, stdoutFile? }. */
function treeCommands(root, dir, { secretlint, outputFile }) {
  const list = [
    { name: 'ms-leakscan', argv: ['node', path.join(root, 'bin', 'ms-leakscan.js'), dir, '--format', 'json', '--no-ignore'], stdoutFile: outputFile, okCodes: [0, 1] },
  ];
  // Every file, binary ones as text, each match printed with its line (output discarded): what a scanner does.
  if (has('rg')) list.push({ name: 'ripgrep', argv: ['rg', '-uuu', '-a', '-o', '-n', '--no-heading', ...RG_PATTERNS.flatMap((p) => ['-e', p]), dir], okCodes: [0, 1] });
  list.push({ name: 'cat (read floor)', shell: `find "${dir}" -type f -print0 | xargs -0 cat > /dev/null`, okCodes: [0] });
  if (secretlint) {
    list.push({
      name: 'secretlint + pattern rule',
      argv: ['node', secretlint.bin, '**/*', '--secretlintrc', secretlint.rc, '--no-gitignore', '--format', 'unix', '--no-color'],
      cwd: dir,
      okCodes: [0, 1],
      expensive: true,
    });
  }
  return list;
}

module.exports = { PATTERNS, RG_PATTERNS, treeCommands, ensureSecretlint, has };
