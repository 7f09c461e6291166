'use strict';
/**
 * Pathological content (issue 10): 10 MB files of dense keyword hits, and files of 10k/40k/125k keys, one per line.
 * Each is scanned alone with `--threads 1 --format json` under /usr/bin/time; the table gives CPU seconds, MB/s per
 * core (file bytes over user+system time), peak RSS and the findings and warnings of the report.
 */
const fs = require('node:fs');
const path = require('node:path');
const { loadKeyGenerator } = require('./keys');
const { measure } = require('./measure');

const MB = 1024 * 1024;

/** Repeats units made by `unit(i)` up to `bytes`, written in blocks (never one huge string). */
function writeRepeated(file, bytes, unit) {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let i = 0;
  while (written < bytes) {
    const block = [];
    let size = 0;
    while (size < MB && written + size < bytes) {
      const u = unit(i++);
      block.push(u);
      size += u.length;
    }
    const buf = Buffer.from(block.join(''));
    fs.writeSync(fd, buf);
    written += buf.length;
  }
  fs.closeSync(fd);
}

/** The pathological files, made once under `dir`: name → { file, keys (expected findings, when known) }. */
function ensurePathological(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const { KeyGenerator } = loadKeyGenerator();
  const gen = new KeyGenerator('bench-pathological');
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const pool = (n, make) => Array.from({ length: n }, make);
  const ids = pool(4096, () => gen.accessKeyId());
  const secrets = pool(4096, () => gen.accessKeySecret());
  const signed = pool(1024, () => gen.signed());
  const cases = [
    { name: '10 MB line of LTAI ids', file: 'ltai-line.txt', make: (f) => writeRepeated(f, 10 * MB, (i) => `${ids[i % ids.length]} `) },
    { name: '10 MB line of LTAI…', file: 'ltai-glued.txt', make: (f) => writeRepeated(f, 10 * MB, (i) => `LTAI${alnum[i % 62]}`) },
    { name: '10 MB line of secret <30>', file: 'secret-line.txt', make: (f) => writeRepeated(f, 10 * MB, (i) => `secret ${secrets[i % secrets.length]} `) },
    { name: '10 MB line of signed keys', file: 'signed-line.txt', make: (f) => writeRepeated(f, 10 * MB, (i) => `${signed[i % signed.length]} `) },
    { name: '10 MB line of sk-', file: 'sk-line.txt', make: (f) => writeRepeated(f, 10 * MB, () => 'sk-') },
    { name: '20 MB line of sk-', file: 'sk-line-20.txt', make: (f) => writeRepeated(f, 20 * MB, () => 'sk-') },
  ];
  for (const n of [10_000, 40_000, 125_000]) {
    cases.push({
      name: `${n / 1000}k keys, one per line`,
      file: `keys-${n}.env`,
      keys: n,
      make: (f) => {
        const g = new KeyGenerator(`bench-keys-${n}`);
        fs.writeFileSync(f, Array.from({ length: n }, () => `DASHSCOPE_API_KEY=${g.legacy()}\n`).join(''));
      },
    });
  }
  for (const c of cases) {
    c.path = path.join(dir, c.file);
    if (!fs.existsSync(c.path)) c.make(c.path);
    c.bytes = fs.statSync(c.path).size;
  }
  return cases;
}

/** Scans each pathological file with `bin` (one thread), returning table rows. */
function runPathological(bin, dir, log) {
  const rows = [];
  for (const c of ensurePathological(dir)) {
    const report = path.join(dir, `${c.file}.json`);
    const m = measure({ argv: ['node', bin, '--threads', '1', '--format', 'json', '--no-config', c.path], okCodes: [0, 1, 2], stdoutFile: report });
    let findings = '?';
    let warnings = '?';
    try {
      const json = JSON.parse(fs.readFileSync(report, 'utf8'));
      findings = json.findings.length;
      warnings = (json.warnings ?? []).length;
    } catch {
      // an aborted run leaves no report: shown as "?"
    }
    fs.rmSync(report, { force: true });
    const mbps = c.bytes / MB / Math.max(m.cpu, 1e-3);
    log(`  ${c.name.padEnd(28)} ${m.cpu.toFixed(2)} s CPU, ${mbps.toFixed(1)} MB/s, ${m.rssMb.toFixed(0)} MB, ${findings} findings, exit ${m.status}`);
    rows.push({ ...c, cpu: m.cpu, mbps, rssMb: m.rssMb, status: m.status, findings, warnings });
  }
  return rows;
}

function pathologicalTable(rows) {
  const lines = [
    '| file | size | CPU s | MB/s per core | peak RSS MB | findings | warnings | exit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const found = r.keys ? `${r.findings} of ${r.keys}` : String(r.findings);
    lines.push(`| ${r.name} | ${(r.bytes / MB).toFixed(1)} MB | ${r.cpu.toFixed(2)} | ${r.mbps.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${found} | ${r.warnings} | ${r.status} |`);
  }
  const k10 = rows.find((r) => r.keys === 10_000);
  const k40 = rows.find((r) => r.keys === 40_000);
  if (k10 && k40) lines.push('', `40k keys take ${(k40.cpu / k10.cpu).toFixed(1)}× the CPU time of 10k (target ≤ 6×).`);
  return lines.join('\n');
}

module.exports = { ensurePathological, runPathological, pathologicalTable };
