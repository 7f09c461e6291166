#!/usr/bin/env node
'use strict';
// Usage: node bench/synthetic-history.js DIR [COMMITS=5000] [FILES=400] [FILES_PER_COMMIT=3] [LINES_PER_FILE=3]
// Synthetic history for measuring `ms-leakscan history`: N commits over F files via git fast-import,
// side branches merged every 250 commits, planted keys (removed later, renamed, deleted file, side branch, merge).
const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const [dir, N = 5000, F = 400, PER_COMMIT = 3, PER_FILE = 3] = process.argv.slice(2);
let seed = 1;
const rnd = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (n) => Math.floor(rnd() * n);
const key = (i) => { const b = crypto.createHash('sha256').update('bench' + i).digest().subarray(0, 16); b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80; return 'sk-' + b.toString('hex'); };
const words = 'const let var function return if else for while value result item list map filter reduce config client request response'.split(' ');
const line = () => Array.from({ length: 6 + pick(8) }, () => words[pick(words.length)]).join(' ') + ';';
const files = new Map();
for (let i = 0; i < F; i++) files.set(`src/mod${i % 20}/file${i}.js`, Array.from({ length: 80 + pick(80) }, line));
execFileSync('git', ['init', '-q', '-b', 'main', dir]);
const fi = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
const out = [];
const w = (s) => out.push(s);
const data = (s) => { w(`data ${Buffer.byteLength(s)}\n${s}\n`); };
let mark = 0; let ts = 1600000000; const planted = [];
function commit(branch, msg, ops, from, merge) {
  mark++; ts += 60;
  w(`commit refs/heads/${branch}\nmark :${mark}\ncommitter Bench <b@e> ${ts} +0000\n`); data(msg);
  if (from) w(`from :${from}\n`); if (merge) w(`merge :${merge}\n`);
  for (const op of ops) { if (op[0] === 'M') { w(`M 100644 inline ${op[1]}\n`); data(op[2]); } else if (op[0] === 'D') w(`D ${op[1]}\n`); else w(`R ${op[1]} ${op[2]}\n`); }
  return mark;
}
const paths = [...files.keys()];
let main = commit('main', 'initial', paths.map((p) => ['M', p, files.get(p).join('\n') + '\n']));
let k = 0;
for (let c = 1; c < N; c++) {
  const ops = [];
  for (let j = 0; j < PER_COMMIT; j++) { const p = paths[pick(paths.length)]; const lines = files.get(p); for (let m = 0; m < PER_FILE; m++) lines[pick(lines.length)] = line(); ops.push(['M', p, lines.join('\n') + '\n']); }
  let msg = `change ${c}`;
  if (c % 500 === 100) { // key added, removed 50 commits later
    const p = paths[pick(paths.length)]; const lines = files.get(p); lines.splice(5, 0, `const DASHSCOPE_API_KEY = "${key(k)}";`); ops.push(['M', p, lines.join('\n') + '\n']); planted.push({ kind: 'removed later', key: k++, path: p, msg: msg = `plant ${c}` });
  }
  if (c % 500 === 150) { for (const [p, lines] of files) { const i = lines.findIndex((l) => l.includes('DASHSCOPE_API_KEY')); if (i >= 0) { lines.splice(i, 1); ops.push(['M', p, lines.join('\n') + '\n']); } } }
  if (c % 1000 === 300) { // key in a file deleted later, and a renamed one
    ops.push(['M', `tmp/dump${c}.txt`, `dashscope ${key(k)}\n`]); planted.push({ kind: 'deleted file', key: k++, path: `tmp/dump${c}.txt`, msg: msg = `plant ${c}` });
    ops.push(['M', `conf/old${c}.env`, `DASHSCOPE_API_KEY=${key(k)}\n`]); planted.push({ kind: 'renamed later', key: k++, path: `conf/old${c}.env`, msg });
  }
  if (c % 1000 === 320) { ops.push(['D', `tmp/dump${c - 20}.txt`]); ops.push(['R', `conf/old${c - 20}.env`, `conf/new${c - 20}.env`]); }
  main = commit('main', msg, ops, c === 1 ? main : undefined);
  if (c % 250 === 0) { // side branch of 10 commits with a key, merged
    const br = `side${c}`; let tip = main;
    for (let s = 0; s < 10; s++) { const p = paths[pick(paths.length)]; const lines = files.get(p); lines[pick(lines.length)] = line(); const sops = [['M', p, lines.join('\n') + '\n']]; let smsg = `side ${c}.${s}`;
      if (s === 3) { sops.push(['M', `side/${br}.env`, `DASHSCOPE_API_KEY=${key(k)}\n`]); planted.push({ kind: 'side branch, merged', key: k++, path: `side/${br}.env`, msg: smsg = `plant side ${c}` }); }
      tip = commit(br, smsg, sops, s === 0 ? main : undefined); }
    main = commit('main', `merge ${br}`, [], main, tip);
  }
}
// an unmerged branch with a key
commit('unmerged', 'plant unmerged', [['M', 'unmerged.env', `DASHSCOPE_API_KEY=${key(k)}\n`]], 2);
planted.push({ kind: 'unmerged branch', key: k++, path: 'unmerged.env', msg: 'plant unmerged' });
fi.stdin.end(out.join(''));
fi.on('close', (code) => { require('fs').writeFileSync(dir + '.planted.json', JSON.stringify(planted, null, 1)); console.log(`fast-import ${code}, ${mark} commits, ${planted.length} planted keys`); });
