'use strict';
/**
 * The tests' synthetic key generator (test/support/keys.ts), loaded as is: transpiled in memory with the
 * project's own TypeScript, so the bench plants exactly the shapes the tests use and never a real key.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ROOT = path.resolve(__dirname, '..', '..');

function loadKeyGenerator() {
  const ts = require('typescript');
  const file = path.join(ROOT, 'test', 'support', 'keys.ts');
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  mod._compile(outputText, file);
  return mod.exports;
}

/** Fingerprint as the engine computes it (dist/ is built by `npm ci`). */
function fingerprint(ruleId, secret) {
  return require(path.join(ROOT, 'dist', 'src', 'detect', 'redact.js')).fingerprintSecret(ruleId, secret);
}

module.exports = { loadKeyGenerator, fingerprint, ROOT };
