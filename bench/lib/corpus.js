'use strict';
/**
 * Synthetic working trees: source, JSON, YAML, Markdown, `.env`, minified bundles (100k-character lines),
 * binaries, a few 20 MB files, CRLF and UTF-16 files, decoys everywhere and keys planted at recorded places.
 * Deterministic (seeded) and fast: files are slices of per-kind line pools.
 */
const fs = require('node:fs');
const path = require('node:path');
const { prng } = require('./prng');
const { linePool, minifiedLine } = require('./text');
const { snippet } = require('./plants');
const { loadKeyGenerator, fingerprint } = require('./keys');

const GENERATOR_VERSION = 4;
/** One line in this many is a decoy (a key-shaped string that is no Model Studio key): far denser than real code. */
const DECOY_EVERY = 200;
const MB = 1024 * 1024;

const CORPORA = {
  small: { files: 20000, big: 3, bundles: 60, binaries: 600, seed: 1 },
  medium: { files: 100000, big: 10, bundles: 400, binaries: 3000, seed: 2 },
  large: { files: 200000, big: 20, bundles: 800, binaries: 6000, seed: 3 },
  // Made by their own modules (see ensureTree).
  config: { module: 'config-tree' },
  babel: { module: 'babel' },
};

const KINDS = [
  ['js', 'js', 22], ['ts', 'js', 15], ['py', 'py', 15], ['java', 'java', 10], ['go', 'go', 10],
  ['json', 'json', 10], ['yaml', 'yaml', 6], ['md', 'md', 9], ['env', 'env', 1], ['properties', 'env', 2],
];
const KIND_WEIGHT = KINDS.reduce((n, k) => n + k[2], 0);

function pickKind(r) {
  let x = r.int(KIND_WEIGHT);
  for (const k of KINDS) if ((x -= k[2]) < 0) return k;
  return KINDS[0];
}

/** A slice of `pool` about `size` long, starting and ending at line boundaries. */
function slice(r, pool, size) {
  const from = pool.indexOf('\n', r.int(Math.max(1, pool.length - size - 1))) + 1;
  let to = pool.indexOf('\n', Math.min(pool.length - 1, from + size));
  if (to < 0) to = pool.length - 1;
  return pool.slice(from, to + 1);
}

const countLines = (s) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

class TreeWriter {
  constructor(dir) {
    this.dir = dir;
    this.files = 0;
    this.bytes = 0;
    this.keys = [];
    this.made = new Set();
  }

  write(rel, content) {
    const abs = path.join(this.dir, rel);
    const parent = path.dirname(abs);
    if (!this.made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      this.made.add(parent);
    }
    fs.writeFileSync(abs, content);
    this.files++;
    this.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }

  /** Records the keys of snippet lines placed at `line` (1-based) with `columnBase` characters before them. */
  record(rel, lines, line, columnBase = 0) {
    lines.forEach((l, i) => {
      for (const k of l.keys) {
        this.keys.push({ path: rel, line: line + i, column: columnBase + k.at + 1, ruleId: k.ruleId, fingerprint: fingerprint(k.ruleId, k.secret) });
      }
    });
  }
}

/** Inserts a planted snippet between two slices of text and records where its keys land. */
function plantedText(w, rel, before, lines, after, eol = '\n') {
  const line = countLines(before) + 1;
  w.record(rel, lines, line);
  return before + lines.map((l) => l.text).join(eol) + eol + after;
}

function binary(r, size) {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE((r.next() * 0x100000000) >>> 0, Math.min(i, size - 4));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  return b;
}

/** A 20 MB text file with keys near its start, across the reader's 8 MiB chunk edge, and on its last line. */
function bigFile(w, r, gen, rel, pool) {
  const target = 20 * MB;
  const parts = [];
  let size = 0;
  let lines = 0;
  const add = (text) => {
    parts.push(text);
    size += Buffer.byteLength(text);
    lines += countLines(text);
  };
  const plant = (prefixChars = 0) => {
    const s = snippet(r, gen);
    w.record(rel, s, lines + 1, prefixChars);
    add(s.map((l) => l.text).join('\n') + '\n');
  };
  add(slice(r, pool, 64 * 1024));
  plant();
  // Fill up to just before 8 MiB, then a line whose key straddles the chunk edge.
  while (size < 8 * MB - 200 * 1024) add(slice(r, pool, 100 * 1024));
  const edge = 8 * MB - size;
  if (edge > 0) {
    const legacy = gen.legacy();
    const head = `DASHSCOPE_API_KEY=`;
    const pad = Math.max(0, edge - head.length - 10);
    const lineText = 'x'.repeat(pad) + ' ' + head + legacy;
    w.record(rel, [{ keys: [{ ruleId: 'alibaba-model-studio-api-key', secret: legacy, at: lineText.indexOf(legacy) }] }], lines + 1);
    add(lineText + '\n');
  }
  while (size < target - 64 * 1024) add(slice(r, pool, 256 * 1024));
  const last = snippet(r, gen).slice(0, 1);
  w.record(rel, last, lines + 1);
  add(last[0].text); // last line, no newline at the end
  w.write(rel, parts.join(''));
}

function minifiedBundle(w, r, gen, rel, withKey) {
  const lines = [];
  const count = 3 + r.int(12);
  const keyLine = withKey ? r.int(count) : -1;
  for (let i = 0; i < count; i++) {
    if (i === keyLine) {
      const before = minifiedLine(r, 50000);
      const s = snippet(r, gen).slice(0, 1);
      const text = `;${s[0].text};`;
      w.record(rel, [{ keys: s[0].keys.map((k) => ({ ...k, at: k.at + 1 })) }], i + 1, before.length);
      lines.push(before + text + minifiedLine(r, 50000));
    } else {
      lines.push(minifiedLine(r, 100000));
    }
  }
  w.write(rel, `/*! bundle ${rel} */` + lines.join('\n'));
  // The header comment shares the first line: shift a key on line 1 by its length.
  if (keyLine === 0) w.keys[w.keys.length - 1].column += `/*! bundle ${rel} */`.length;
}

function generateTree(dir, name) {
  const spec = CORPORA[name];
  const r = prng(spec.seed * 7919);
  const { KeyGenerator } = loadKeyGenerator();
  const gen = new KeyGenerator(`bench-${name}`);
  const pools = {};
  for (const [, kind] of KINDS) pools[kind] ??= linePool(r, gen, kind, 2 * MB, DECOY_EVERY);
  pools.log = linePool(r, gen, "log", 4 * MB, DECOY_EVERY);
  const w = new TreeWriter(dir);
  const dirOf = (i) => `packages/pkg-${String(Math.floor(i / 2000)).padStart(3, '0')}/src/mod-${String(Math.floor(i / 40) % 50).padStart(2, '0')}`;

  for (let i = 0; i < spec.files; i++) {
    const [ext, kind] = pickKind(r);
    const rel = ext === 'env' ? `${dirOf(i)}/.env${i % 3 === 0 ? '.local' : ''}` : `${dirOf(i)}/file-${i}.${ext}`;
    const size = Math.round(Math.exp(Math.log(300) + r.next() * Math.log(20000 / 300)));
    const body = slice(r, pools[kind], size);
    if (r.int(150) === 0) {
      const cut = body.indexOf('\n', body.length >> 1) + 1;
      w.write(rel, plantedText(w, rel, body.slice(0, cut), snippet(r, gen), body.slice(cut)));
    } else {
      w.write(rel, body);
    }
  }
  for (let i = 0; i < spec.bundles; i++) {
    minifiedBundle(w, r, gen, `packages/pkg-${String(i % 10).padStart(3, '0')}/dist/bundle-${i}.min.js`, i % 5 === 0);
  }
  const bin = binary(r, 256 * 1024);
  for (let i = 0; i < spec.binaries; i++) {
    const size = 2048 + r.int(80 * 1024);
    const reps = Math.ceil(size / bin.length);
    const data = reps > 1 ? Buffer.concat(Array(reps).fill(bin)).subarray(0, size) : bin.subarray(0, size);
    w.write(`assets/img-${String(Math.floor(i / 100)).padStart(2, '0')}/image-${i}.${i % 2 ? 'png' : 'woff2'}`, data);
  }
  for (let i = 0; i < spec.big; i++) bigFile(w, r, gen, `data/dump-${i}.${i % 2 ? 'sql' : 'log'}`, i % 2 ? pools.json : pools.log);

  // Special files: CRLF, UTF-16LE with a BOM, a key on a last line without newline.
  const crlfBody = slice(r, pools.py, 4000).replace(/\n/g, '\r\n');
  const crlfCut = crlfBody.indexOf('\r\n', 2000) + 2;
  w.write('special/windows.py', plantedText(w, 'special/windows.py', crlfBody.slice(0, crlfCut), snippet(r, gen), crlfBody.slice(crlfCut), '\r\n'));
  const u16 = plantedText(w, 'special/utf16.env', slice(r, pools.env, 500), snippet(r, gen), slice(r, pools.env, 500));
  w.write('special/utf16.env', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(u16, 'utf16le')]));
  const tail = slice(r, pools.yaml, 3000);
  const lastLines = snippet(r, gen);
  w.record('special/last-line.yaml', lastLines, countLines(tail) + 1);
  w.write('special/last-line.yaml', tail + lastLines.map((l) => l.text).join('\n'));

  return { name, files: w.files, bytes: w.bytes, keys: w.keys };
}

/** Path of corpus `name` under `root`, generated (or built) when missing or from an older generator. */
function ensureTree(root, name, log) {
  if (CORPORA[name].module === 'config-tree') return require('./config-tree').ensureConfigTree(root, name, log);
  if (CORPORA[name].module === 'babel') {
    const babel = require('./babel').ensureBabel(root, log);
    if (!babel) throw new Error('babel: no local copy of babel/babel — fetch one and set MS_LEAKSCAN_BENCH_BABEL (see bench/lib/babel.js)');
    return { dir: babel.treeDir, manifest: { files: babel.manifest.files, bytes: babel.manifest.bytes, keys: [] } };
  }
  return cachedTree(root, name, GENERATOR_VERSION, (dir) => generateTree(dir, name), log, (m) => `${m.keys.length} keys`);
}

/**
 * Corpus `name` under `root`, with its manifest: reused when the manifest says it was made by generator `version`,
 * else made again by `generate(dir)`. `describe` adds the corpus's own figures to the log line.
 */
function cachedTree(root, name, version, generate, log, describe) {
  const dir = path.join(root, `tree-${name}`);
  const manifestPath = path.join(root, `tree-${name}.manifest.json`);
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (manifest.version === version) return { dir, manifest };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  log(`generating the ${name} tree in ${dir} …`);
  const manifest = { version, ...generate(dir) };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  log(`  ${manifest.files} files, ${(manifest.bytes / MB).toFixed(0)} MB, ${describe(manifest)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, manifest };
}

module.exports = { ensureTree, cachedTree, CORPORA, slice, countLines };
