/**
 * One-off: CPU time the decode stage and binary strings would add to a scan of a tree (not a test):
 *   npm run bench:tree -- /tmp/tree 10000
 *   npx tsc -p tsconfig.json --outDir .bench/build && node .bench/build/test/decode/measure-tree.js /tmp/tree
 * Text files go through decodeFragment, binaries (a NUL in the first 8 KiB, not media by magic bytes) through
 * binaryStrings; only those calls are timed. Compare with `/usr/bin/time node bin/ms-leakscan.js DIR --threads 1`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { binaryStrings, contentKind } from '../../src/archive';
import { decodeFragment } from '../../src/decode';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

const root = process.argv[2];
const paths = [...files(root)];
const contents = paths.map((file) => readFileSync(file));
/** Decode CPU (µs, last run) by file extension: where the cost goes. */
const byKind = new Map<string, { files: number; bytes: number; micros: number }>();
const totals = { text: 0, binary: 0, media: 0, textBytes: 0, binaryBytes: 0, mediaBytes: 0 };
let decodeCpu = Infinity;
let stringsCpu = Infinity;
for (let run = 0; run < 3; run++) {
  let decode = 0;
  let strings = 0;
  byKind.clear();
  contents.forEach((bytes, index) => {
    const kind = contentKind(bytes);
    if (kind.kind === 'media') {
      if (run === 0) (totals.media++, (totals.mediaBytes += bytes.length));
      return;
    }
    const binary = bytes.subarray(0, 8192).includes(0);
    const before = process.cpuUsage();
    if (binary) for (const s of binaryStrings(bytes)) void s;
    else decodeFragment(bytes);
    const used = process.cpuUsage(before);
    const micros = used.user + used.system;
    if (binary) strings += micros;
    else decode += micros;
    const ext = path.extname(paths[index]) || path.basename(paths[index]);
    const seen = byKind.get(ext) ?? { files: 0, bytes: 0, micros: 0 };
    byKind.set(ext, { files: seen.files + 1, bytes: seen.bytes + bytes.length, micros: seen.micros + micros });
    if (run === 0) {
      if (binary) (totals.binary++, (totals.binaryBytes += bytes.length));
      else (totals.text++, (totals.textBytes += bytes.length));
    }
  });
  decodeCpu = Math.min(decodeCpu, decode / 1e6);
  stringsCpu = Math.min(stringsCpu, strings / 1e6);
}
const MB = 1024 * 1024;
console.log(
  `${totals.text} text files (${(totals.textBytes / MB).toFixed(1)} MB): decode ${decodeCpu.toFixed(3)} s CPU; ` +
    `${totals.binary} binaries (${(totals.binaryBytes / MB).toFixed(1)} MB): strings ${stringsCpu.toFixed(3)} s; ` +
    `${totals.media} media files skipped (${(totals.mediaBytes / MB).toFixed(1)} MB)`,
);
// Per-file timing above adds two cpuUsage calls per file; the whole stage timed once, over the same files:
const texts = contents.filter((b) => contentKind(b).kind !== 'media' && !b.subarray(0, 8192).includes(0));
let whole = Infinity;
for (let run = 0; run < 3; run++) {
  const before = process.cpuUsage();
  for (const bytes of texts) decodeFragment(bytes);
  const used = process.cpuUsage(before);
  whole = Math.min(whole, (used.user + used.system) / 1e6);
}
console.log(`decode of every text file, timed as one loop: ${whole.toFixed(3)} s CPU`);
const top = [...byKind].sort((a, b) => b[1].micros - a[1].micros).slice(0, 6);
console.log(top.map(([ext, k]) => `  ${ext}: ${k.files} files, ${(k.bytes / MB).toFixed(1)} MB, ${(k.micros / 1000).toFixed(0)} ms`).join('\n'));
