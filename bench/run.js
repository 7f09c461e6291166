#!/usr/bin/env node
'use strict';
/**
 * `npm run bench [-- --corpus small|medium|large|config|babel|all|none] [--runs N] [--history N] [--repo PATH] [--no-secretlint]
 *   [--no-pathological] [--bin PATH/bin/ms-leakscan.js (the pathological section only, e.g. another checkout)]`
 * Corpora: small, medium, large (synthetic source trees), config (configuration-heavy tree), babel (babel/babel's
 * working tree, and its history among the histories; see bench/lib/babel.js).
 * Generates the corpora (once, under .bench/), runs ms-leakscan and every baseline on the machine in alternation,
 * prints a markdown table and writes it to bench/RESULTS.md with the machine it ran on.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ensureTree, CORPORA } = require('./lib/corpus');
const { ensureHistory } = require('./lib/history');
const { measure } = require('./lib/measure');
const { treeCommands, ensureSecretlint } = require('./lib/tools');
const { ROOT } = require('./lib/keys');
const { startupCommands } = require('./lib/startup');
const { runPathological, pathologicalTable } = require('./lib/pathological');

function parseArgs(argv) {
  const args = { corpus: ['small', 'medium'], runs: 3, secretlintRuns: 1, history: 3000, repo: undefined, secretlint: true, write: true, startup: 20, pathological: true, bin: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--corpus') {
      const v = value();
      args.corpus = v === 'all' ? Object.keys(CORPORA) : v === 'none' ? [] : v.split(',');
    } else if (a === '--runs') args.runs = Number(value());
    else if (a === '--secretlint-runs') args.secretlintRuns = Number(value());
    else if (a === '--history') args.history = Number(value());
    else if (a === '--repo') args.repo = path.resolve(value());
    else if (a === '--no-secretlint') args.secretlint = false;
    else if (a === '--no-write') args.write = false;
    else if (a === '--startup-runs') args.startup = Number(value());
    else if (a === '--no-pathological') args.pathological = false;
    else if (a === '--bin') args.bin = path.resolve(value());
    else throw new Error(`unknown option ${a} — see the comment at the top of bench/run.js`);
  }
  for (const c of args.corpus) if (!CORPORA[c]) throw new Error(`unknown corpus ${c} — use ${Object.keys(CORPORA).join(', ')} or all`);
  return args;
}

const log = (text) => process.stderr.write(`${text}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s) => (s < 1 ? s.toFixed(3) : s < 10 ? s.toFixed(2) : s.toFixed(1));

/** Runs every command `runs` times, in alternation, after one untimed warm-up round. */
function runAlternating(commands, runs, secretlintRuns) {
  const samples = new Map(commands.map((c) => [c.name, []]));
  for (const c of commands) {
    if (c.expensive) continue; // secretlint: the other tools' warm-up has filled the page cache already
    log(`  warm-up: ${c.name}`);
    const m = measure(c);
    if (!m.ok) log(`    exit ${m.status}: ${m.stderr}`);
  }
  for (let run = 0; run < runs; run++) {
    for (const c of commands) {
      if (c.expensive && run >= secretlintRuns) continue;
      const m = measure(c);
      samples.get(c.name).push(m);
      log(`  run ${run + 1}: ${c.name.padEnd(26)} ${fmt(m.wall)} s wall, ${fmt(m.cpu)} s CPU, ${m.rssMb.toFixed(0)} MB${m.ok ? '' : ` (exit ${m.status})`}`);
    }
  }
  return samples;
}

/** Planted keys the JSON report found at their exact place (path, line, column, rule). */
function treeKeysFound(reportFile, manifest, dir) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const prefix = path.relative(ROOT, dir).split(path.sep).join('/') + '/';
  const got = new Set(report.findings.map((f) => `${f.path.replace(prefix, '')}:${f.startLine}:${f.startColumn}:${f.ruleId}`));
  const want = manifest.keys.map((k) => `${k.path}:${k.line}:${k.column}:${k.ruleId}`);
  const found = want.filter((k) => got.has(k)).length;
  return { found, total: want.length, extra: report.findings.length - found, missing: want.filter((k) => !got.has(k)).slice(0, 5) };
}

function rows(label, samples, bytes, reference, found, floor) {
  const ref = samples.get(reference);
  const refWall = ref?.length ? median(ref.map((m) => m.wall)) : undefined;
  const floorWall = samples.get(floor)?.length ? median(samples.get(floor).map((m) => m.wall)) : undefined;
  const out = [];
  const loads = [...samples.values()].flat().map((m) => m.load).filter((l) => l !== undefined);
  if (loads.length) label += ` (load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`;
  for (const [name, ms] of samples) {
    if (!ms.length) continue;
    const walls = ms.map((m) => m.wall);
    const wall = median(walls);
    out.push(
      `| ${label} | ${name} | ${fmt(wall)} (${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}) | ${fmt(median(ms.map((m) => m.cpu)))} | ` +
        `${Math.max(...ms.map((m) => m.rssMb)).toFixed(0)} | ${bytes ? (bytes / 1048576 / wall).toFixed(0) : '—'} | ` +
        `${refWall ? `${(wall / refWall).toFixed(2)}×` : '—'}${floorWall ? `, ${(wall / floorWall).toFixed(2)}× cat` : ''} | ${found.get(name) ?? '—'} |`,
    );
  }
  return out;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const git = execFileSync('git', ['--version']).toString().trim();
  let rg = 'no ripgrep';
  try {
    rg = execFileSync('rg', ['--version']).toString().split('\n')[0];
  } catch {}
  return `${os.availableParallelism()} cores (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${git}, ${rg}, ${os.type()} ${os.release()}`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const benchDir = path.join(ROOT, '.bench');
  fs.mkdirSync(benchDir, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const secretlint = args.secretlint ? ensureSecretlint(benchDir, log) : undefined;
  const table = [
    '| corpus | tool | wall s, median (min–max) | CPU s (user+sys) | peak RSS MB | MB/s | × reference | planted keys found |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const notes = [];
  for (const name of args.corpus) {
    const { dir, manifest } = ensureTree(benchDir, name, log);
    const outputFile = path.join(benchDir, `report-${name}.json`);
    log(`${name}: ${manifest.files} files, ${(manifest.bytes / 1048576).toFixed(0)} MB`);
    const samples = runAlternating(treeCommands(ROOT, dir, { secretlint, outputFile }), args.runs, args.secretlintRuns);
    const keys = treeKeysFound(outputFile, manifest, dir);
    if (keys.missing.length) notes.push(`${name}: missed ${keys.missing.join(', ')}`);
    const found = new Map([['ms-leakscan', `${keys.found}/${keys.total}${keys.extra ? `, ${keys.extra} unplanted` : ''}`]]);
    table.push(...rows(`${name}: ${manifest.files} files, ${(manifest.bytes / 1048576).toFixed(0)} MB`, samples, manifest.bytes, 'ripgrep', found, 'cat (read floor)'));
  }
  const histories = [];
  if (args.history > 0) histories.push({ label: `synthetic, ${args.history} commits`, ...ensureHistory(benchDir, args.history, log) });
  if (args.corpus.includes('babel')) histories.push({ label: 'babel/babel (branches and tags)', dir: path.join(benchDir, 'babel-full'), manifest: undefined });
  if (args.repo) histories.push({ label: path.basename(args.repo.replace(/\/\.git$|\.git$/, '')), dir: args.repo, manifest: undefined });
  const hasHistoryCommand = (() => {
    try {
      execFileSync('node', [path.join(ROOT, 'bin', 'ms-leakscan.js'), 'history', '--help'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (histories.length && !hasHistoryCommand) notes.push('history: `ms-leakscan history` is not on this branch yet; only `git log -p --all` was measured.');
  for (const h of histories) {
    log(`history ${h.label}`);
    const gitDir = fs.existsSync(path.join(h.dir, '.git')) ? path.join(h.dir, '.git') : h.dir;
    const outputFile = path.join(benchDir, `report-history.json`);
    const commands = [{ name: 'git log -p --all', shell: `git --git-dir="${gitDir}" log -p --all > /dev/null`, okCodes: [0] }];
    if (hasHistoryCommand) {
      commands.unshift({ name: 'ms-leakscan history', argv: ['node', path.join(ROOT, 'bin', 'ms-leakscan.js'), 'history', '--format', 'json'], cwd: h.dir, stdoutFile: outputFile, okCodes: [0, 1] });
    }
    const samples = runAlternating(commands, args.runs, args.secretlintRuns);
    const found = new Map();
    // MB/s of history: the blob bytes ms-leakscan read (from its report), the same for every row.
    let bytes = 0;
    if (hasHistoryCommand) {
      try {
        const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
        bytes = report.stats.bytes;
        if (h.manifest) {
          const fps = new Set(report.findings.map((f) => f.fingerprint));
          found.set('ms-leakscan history', `${h.manifest.keys.filter((k) => fps.has(k.fingerprint)).length}/${h.manifest.keys.length}`);
        }
      } catch {
        notes.push(`history ${h.label}: ms-leakscan wrote no JSON report (see the runs above)`);
      }
    }
    table.push(...rows(`history: ${h.label}`, samples, bytes, 'git log -p --all', found));
  }
  if (args.startup > 0) {
    const hasStaged = (() => {
      try {
        execFileSync('node', [path.join(ROOT, 'bin', 'ms-leakscan.js'), 'staged', '--help'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    log('start-up');
    const samples = runAlternating(startupCommands(ROOT, benchDir, hasStaged), args.startup, 0);
    table.push(...rows('start-up (pre-commit path)', samples, 0, 'node -e 0', new Map()));
  }
  let pathological = '';
  if (args.pathological) {
    log('pathological content');
    const bin = args.bin ?? path.join(ROOT, 'bin', 'ms-leakscan.js');
    pathological =
      `\n## Pathological content (\`${path.relative(ROOT, bin) || bin}\`, --threads 1, one run each)\n\n` +
      `${pathologicalTable(runPathological(bin, path.join(benchDir, 'pathological'), log))}\n\n` +
      'Targets (issue 10): 40k keys ≤ 6× the time of 10k; every 10 MB file ≥ 20 MB/s per core (bytes over user+sys CPU) ' +
      'with peak RSS < 300 MB; 125k keys all reported. A file too dense to scan whole within the per-piece budget ' +
      'is reported with a warning naming what was scanned.\n';
  }
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const text =
    `${table.join('\n')}\n\n` +
    `Machine: ${machine()}. Measured ${when} with \`npm run bench -- ${process.argv.slice(2).join(' ')}\` ` +
    `(${args.runs} runs each in alternation after a warm-up round, warm page cache; secretlint ${args.secretlintRuns} run(s); start-up ${args.startup} runs). ` +
    `× reference: wall time over ripgrep's (trees; then over \`cat\`'s, the read floor), \`git log -p --all\`'s (history) or \`node -e 0\`'s (start-up). MB/s: corpus bytes (history: the blob bytes ms-leakscan read) over median wall time. Load: the 1-minute load average as each run of the row's group started (2 cores).\n` +
    (notes.length ? `\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '') +
    pathological;
  process.stdout.write(`\n${text}`);
  if (args.write) {
    fs.writeFileSync(
      path.join(__dirname, 'RESULTS.md'),
      `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.js); the latest run replaces this file.\n\n${text}`,
    );
  }
}

main();
