#!/usr/bin/env node
'use strict';
/**
 * `node bench/compare-builds.js [--runs N] [--cwd DIR] NAME=CHECKOUT... -- ARGS...`
 * Runs `node CHECKOUT/bin/ms-leakscan.js ARGS...` for each built checkout (e.g. main before a change, and after it),
 * in alternation after one warm-up round, and prints medians: before/after figures measured side by side on the
 * same (possibly shared) machine. Exit codes 0 and 1 both count as a run; anything else is reported.
 */
const os = require('node:os');
const path = require('node:path');
const { measure } = require('./lib/measure');

const argv = process.argv.slice(2);
let runs = 5;
let cwd = process.cwd();
const builds = [];
while (argv.length && argv[0] !== '--') {
  const a = argv.shift();
  if (a === '--runs') runs = Number(argv.shift());
  else if (a === '--cwd') cwd = path.resolve(argv.shift());
  else if (a.includes('=')) builds.push({ name: a.slice(0, a.indexOf('=')), dir: path.resolve(a.slice(a.indexOf('=') + 1)) });
  else throw new Error(`unknown argument ${a} — see the comment at the top of bench/compare-builds.js`);
}
argv.shift();
if (!builds.length || !argv.length) throw new Error('give NAME=CHECKOUT at least once, then -- and the arguments of ms-leakscan');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const commands = builds.map((b) => ({ name: b.name, argv: ['node', path.join(b.dir, 'bin', 'ms-leakscan.js'), ...argv], cwd, okCodes: [0, 1] }));
const samples = new Map(commands.map((c) => [c.name, []]));
for (const c of commands) measure(c);
for (let i = 0; i < runs; i++) {
  for (const c of commands) {
    const m = measure(c);
    if (!m.ok) process.stderr.write(`${c.name}: exit ${m.status}: ${m.stderr}\n`);
    samples.get(c.name).push(m);
    process.stderr.write(`  ${c.name.padEnd(16)} ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU, ${m.rssMb.toFixed(0)} MB, load ${m.load.toFixed(1)}\n`);
  }
}
console.log(`| build | wall s, median (min–max) | CPU s, median (min–max) | peak RSS MB | load (1 min) |`);
console.log('|---|---|---|---|---|');
for (const [name, ms] of samples) {
  const walls = ms.map((m) => m.wall);
  const cpus = ms.map((m) => m.cpu);
  const loads = ms.map((m) => m.load);
  console.log(
    `| ${name} | ${median(walls).toFixed(2)} (${Math.min(...walls).toFixed(2)}–${Math.max(...walls).toFixed(2)}) | ` +
      `${median(cpus).toFixed(2)} (${Math.min(...cpus).toFixed(2)}–${Math.max(...cpus).toFixed(2)}) | ${Math.max(...ms.map((m) => m.rssMb)).toFixed(0)} | ` +
      `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
  );
}
// Paired ratios: each round runs every build once, back to back, so a round's ratio cancels the machine's drift
// (another process, a thermal step) that widens each build's own min–max; the median of those ratios is the figure.
if (commands.length > 1) {
  const base = samples.get(commands[0].name);
  console.log(`\n| build / ${commands[0].name} | wall, median of paired ratios (IQR) | CPU, median of paired ratios (IQR) |`);
  console.log('|---|---|---|');
  const quartiles = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    return `${median(s).toFixed(3)} (${at(0.25).toFixed(3)}–${at(0.75).toFixed(3)})`;
  };
  for (const c of commands.slice(1)) {
    const ms = samples.get(c.name);
    console.log(`| ${c.name} | ${quartiles(ms.map((m, i) => m.wall / base[i].wall))} | ${quartiles(ms.map((m, i) => m.cpu / base[i].cpu))} |`);
  }
}
console.log(`\n\`ms-leakscan ${argv.join(' ')}\` in ${cwd}, ${runs} runs each in alternation after a warm-up, ${os.availableParallelism()} cores.`);
