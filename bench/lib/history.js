'use strict';
/**
 * A synthetic git history built with `git fast-import` in seconds: thousands of commits over a few hundred
 * files, with keys added then removed, renamed, added on a side branch that is merged, on a branch never merged,
 * and one still at HEAD. The manifest records each key's fingerprint and the commit (mark) that introduced it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { prng } = require('./prng');
const { linePool } = require('./text');
const { snippet } = require('./plants');
const { loadKeyGenerator, fingerprint } = require('./keys');

const HISTORY_VERSION = 1;
const KINDS = [['py', 'py'], ['js', 'js'], ['go', 'go'], ['yaml', 'yaml'], ['json', 'json'], ['md', 'md']];

function generateHistory(dir, commits) {
  const r = prng(4242);
  const { KeyGenerator } = loadKeyGenerator();
  const gen = new KeyGenerator('bench-history');
  const pools = Object.fromEntries(KINDS.map(([, k]) => [k, linePool(r, gen, k, 1 << 20, 400)]));
  const paths = Array.from({ length: 400 }, (_, i) => {
    const [ext, kind] = KINDS[i % KINDS.length];
    return { path: `src/mod-${String(i % 20).padStart(2, '0')}/file-${i}.${ext}`, kind };
  });
  const sliceOf = (kind, size) => {
    const pool = pools[kind];
    const from = pool.indexOf('\n', r.int(pool.length - size - 1)) + 1;
    return pool.slice(from, pool.indexOf('\n', from + size) + 1);
  };
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const keys = [];
  let mark = 0;
  let time = 1700000000;
  const plantKeys = (lines, note) => {
    for (const l of lines) for (const k of l.keys) keys.push({ ruleId: k.ruleId, fingerprint: fingerprint(k.ruleId, k.secret), mark: mark + 1, note });
    return lines.map((l) => l.text).join('\n') + '\n';
  };
  const commit = (branch, message, ops, extra = '') => {
    mark++;
    time += 600;
    chunks.push(`commit refs/heads/${branch}\nmark :${mark}\nauthor Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n${data(message)}${extra}`);
    for (const op of ops) chunks.push(op.delete ? `D ${op.path}\n` : op.rename ? `R ${op.rename} ${op.path}\n` : `M 100644 inline ${op.path}\n${data(op.content)}`);
    chunks.push('\n');
    return mark;
  };
  // The first commit adds every file.
  commit('main', 'Initial import', paths.map((p) => ({ path: p.path, content: sliceOf(p.kind, 500 + r.int(6000)) })));
  const events = new Map();
  const at = (n, fn) => events.set(Math.floor(n * commits), fn);
  let featureFrom = 0;
  at(0.1, () => commit('main', 'Add settings', [{ path: 'config/settings.py', content: sliceOf('py', 2000) + plantKeys(snippet(r, gen), 'added, removed later') + sliceOf('py', 1000) }]));
  at(0.27, () => commit('main', 'Remove key from settings', [{ path: 'config/settings.py', content: sliceOf('py', 3000) }]));
  at(0.33, () => commit('main', 'Add env', [{ path: 'deploy/old-name.env', content: plantKeys(snippet(r, gen), 'renamed later') }]));
  at(0.4, () => commit('main', 'Rename env', [{ path: 'deploy/new-name.env', rename: 'deploy/old-name.env' }]));
  at(0.5, () => {
    featureFrom = commit('main', 'Work before the feature branch', [{ path: paths[0].path, content: sliceOf(paths[0].kind, 3000) }]);
    for (let i = 0; i < 10; i++) {
      const content = i === 3 ? sliceOf('yaml', 500) + plantKeys(snippet(r, gen), 'side branch, merged') : sliceOf('yaml', 1500);
      commit('feature', `Feature step ${i}`, [{ path: 'feature/config.yaml', content }], i === 0 ? `from :${featureFrom}\n` : '');
    }
  });
  at(0.53, () => commit('main', 'Merge feature', [], `merge :${featureFrom + 10}\n`));
  at(0.57, () => commit('main', 'Drop feature key', [{ path: 'feature/config.yaml', content: sliceOf('yaml', 1500) }]));
  at(0.66, () => {
    const from = mark;
    commit('experiment', 'Experiment with keys', [{ path: 'experiment/.env', content: plantKeys(snippet(r, gen), 'branch never merged') }], `from :${from}\n`);
  });
  at(0.85, () => commit('main', 'Add client', [{ path: 'app/client.py', content: sliceOf('py', 1000) + plantKeys(snippet(r, gen), 'still at HEAD') }]));
  for (let i = 1; i < commits; i++) {
    const event = events.get(i);
    if (event) {
      event();
      continue;
    }
    const ops = Array.from({ length: 1 + r.int(4) }, () => {
      const p = paths[r.int(paths.length)];
      return { path: p.path, content: sliceOf(p.kind, 500 + r.int(6000)) };
    });
    commit('main', `Change ${i}`, ops);
  }
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const marksFile = path.join(dir, '.git', 'bench-marks');
  const imported = spawnSync('git', ['-C', dir, 'fast-import', '--quiet', `--export-marks=${marksFile}`], { input: chunks.join(''), maxBuffer: 1 << 30 });
  if (imported.status !== 0) throw new Error(`git fast-import failed: ${imported.stderr}`);
  const shas = new Map(fs.readFileSync(marksFile, 'utf8').trim().split('\n').map((l) => l.slice(1).split(' ')));
  for (const k of keys) k.commit = shas.get(String(k.mark));
  execFileSync('git', ['-C', dir, 'reset', '-q', '--hard', 'main']);
  return { commits: mark, keys };
}

function ensureHistory(root, commits, log) {
  const dir = path.join(root, `history-${commits}`);
  const manifestPath = `${dir}.manifest.json`;
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (manifest.version === HISTORY_VERSION) return { dir, manifest };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  log(`generating a history of ${commits} commits in ${dir} …`);
  const manifest = { version: HISTORY_VERSION, ...generateHistory(dir, commits) };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  log(`  ${manifest.commits} commits, ${manifest.keys.length} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, manifest };
}

module.exports = { ensureHistory };
