#!/usr/bin/env node
'use strict';
// Usage: node --cpu-prof --cpu-prof-dir DIR bin/ms-leakscan.js ... ; node bench/profile-summary.js DIR/*.cpuprofile [TOP=25]
// Self time by function (name, file:line) over one or more V8 CPU profiles (main thread and workers), largest first.
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const top = /^\d+$/.test(args[args.length - 1] ?? '') ? Number(args.pop()) : 25;
const self = new Map();
let total = 0;
for (const file of args) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`total ${(total / 1000).toFixed(0)} ms over ${args.length} profile(s)`);
for (const [key, us] of rows) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
