/**
 * One-off measurement of the decode stage and binary strings (not a test; speed is not asserted anywhere):
 *   npx tsc -p tsconfig.json --outDir .bench/build && node .bench/build/test/decode/measure-decode.js [MB=50]
 * (compiled: tsx wraps every closure with a naming helper that costs more than some decoders do)
 * Least CPU time of three runs (user+sys of this process) of decodeFragment and of detectFragment on the same fragments, on text with
 * no encoded content, on Kubernetes-style Secrets dense with base64, and on minified bundles; and of binaryStrings.
 */
import path from 'node:path';
import { binaryStrings } from '../../src/archive';
import { decodeFragment } from '../../src/decode';
import { detectFragment } from '../../src/detect/detect';
import { builtinRules } from '../../rules';
import { KeyGenerator } from '../support/keys';

// The bench's own text generators, from the repository root (this file also runs compiled, from .bench/build).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linePool, minifiedLine } = require(path.resolve('bench/lib/text.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prng } = require(path.resolve('bench/lib/prng.js'));

const MB = 1024 * 1024;
const total = Number(process.argv[2] ?? 50) * MB;
const r = prng(13);
const gen = new KeyGenerator('measure-decode');

/** Fragments of 300 B – 20 KB (the corpora's file sizes, log-uniform) cut from a text of `total` bytes. */
function fragmentsOf(make: () => string): Buffer[] {
  const out: Buffer[] = [];
  let have = 0;
  let pool = '';
  while (have < total) {
    while (pool.length < 40_000) pool += make();
    const size = Math.round(Math.exp(Math.log(300) + r.next() * Math.log(20000 / 300)));
    const cut = pool.indexOf('\n', size) + 1 || pool.length;
    out.push(Buffer.from(pool.slice(0, cut)));
    pool = pool.slice(cut);
    have += cut;
  }
  return out;
}

const kinds = ['js', 'py', 'java', 'go', 'json', 'yaml', 'md', 'env', 'log'];
const plain = fragmentsOf(() => linePool(r, gen, kinds[r.int(kinds.length)], 64 * 1024, 200));

function secretYaml(): string {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: svc-${r.int(1e6)}`, 'type: Opaque', 'data:'];
  for (let i = 0; i < 12; i++) {
    const value = r.int(4) === 0 ? `postgres://app:${r.hex(24)}@db:5432/app` : r.int(3) === 0 ? r.hex(40) : `${r.hex(8)}-${r.hex(8)}`;
    lines.push(`  KEY_${i}: ${Buffer.from(value).toString('base64')}`);
  }
  return `${lines.join('\n')}\n---\n`;
}
const base64Dense = fragmentsOf(secretYaml);
const bundles = fragmentsOf(() => `${minifiedLine(r, 100_000)}\n`);

/** Least CPU time of `runs` runs (the machine is shared: the least is the least disturbed). */
function cpu<T>(run: () => T, runs = 3): [number, T] {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return [best, result];
}

const sizeOf = (fragments: Buffer[]): number => fragments.reduce((n, f) => n + f.length, 0);

for (const [name, fragments] of [['plain text (no encoded content)', plain], ['Kubernetes Secrets (base64-dense)', base64Dense], ['minified bundles', bundles]] as const) {
  const mb = sizeOf(fragments) / MB;
  decodeFragment(fragments[0]);
  const [decodeSeconds, regions] = cpu(() => fragments.reduce((n, f) => n + decodeFragment(f).regions.length, 0));
  const [detectSeconds] = cpu(() => fragments.forEach((f) => detectFragment({ path: 'x', bytes: f }, builtinRules)));
  console.log(
    `${name}: ${mb.toFixed(1)} MB in ${fragments.length} fragments; decode ${decodeSeconds.toFixed(3)} s CPU = ${(mb / decodeSeconds).toFixed(0)} MB/s ` +
      `(${regions} regions kept); detect ${detectSeconds.toFixed(3)} s = ${(mb / detectSeconds).toFixed(0)} MB/s; decode/detect ${((100 * decodeSeconds) / detectSeconds).toFixed(0)}%`,
  );
}

const binary = Buffer.concat(Array.from({ length: 200 }, () => Buffer.concat([gen.bytes(200_000), Buffer.from(`path=/usr/lib/${r.hex(30)}\0`)])));
const [stringsSeconds, runs] = cpu(() => [...binaryStrings(binary)].length);
console.log(`binary strings: ${(binary.length / MB).toFixed(1)} MB in ${stringsSeconds.toFixed(3)} s CPU = ${(binary.length / MB / stringsSeconds).toFixed(0)} MB/s (${runs} runs)`);
