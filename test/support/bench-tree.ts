import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KeyGenerator, minifiedFiller } from './keys';

/**
 * A realistic tree for measuring whole scans (not used by `npm test`): source, config, docs, lockfiles,
 * minified bundles and binary assets in nested folders, with a few planted keys.
 *   npm run bench:tree -- <dir> [files=10000]
 * then  /usr/bin/time -v node bin/ms-leakscan.js <dir>
 */

const gen = new KeyGenerator('bench-tree');

const WORDS = 'const value return function import export default async await model message content user role data result'.split(' ');

function prose(lines: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = 4 + ((seed + i * 7) % 9);
    out.push(Array.from({ length: n }, (_, j) => WORDS[(seed + i * 3 + j * 5) % WORDS.length]).join(' '));
  }
  return out.join('\n');
}

type Maker = (i: number) => [string, string | Buffer];

const MAKERS: Maker[] = [
  (i) => [`src/mod${i % 40}/file${i}.ts`, `import { x } from './x';\n// ${prose(1, i)}\nexport function f${i}(a: number): number {\n${prose(30 + (i % 200), i).replace(/^/gm, '  // ')}\n  return a + ${i};\n}\n`],
  (i) => [`app/pkg${i % 30}/module_${i}.py`, `import os\n\n\ndef handler_${i}(event):\n${prose(20 + (i % 300), i).replace(/^/gm, '    # ')}\n    return os.getenv("DASHSCOPE_API_KEY")\n`],
  (i) => [`web/components/c${i % 50}/Comp${i}.jsx`, `export default function Comp${i}() {\n${prose(40 + (i % 100), i).replace(/^/gm, '  // ')}\n  return null;\n}\n`],
  (i) => [`config/env${i % 10}/settings${i}.json`, `${JSON.stringify({ name: `svc-${i}`, model: 'qwen-plus', retries: i % 5, tags: prose(3, i).split('\n') }, null, 2)}\n`],
  (i) => [`deploy/k8s${i % 10}/values${i}.yaml`, `name: svc-${i}\nreplicas: ${i % 4}\nimage: registry.example.com/svc:${i}\nnotes: |\n${prose(15, i).replace(/^/gm, '  ')}\n`],
  (i) => [`docs/section${i % 20}/page${i}.md`, `# Page ${i}\n\n${prose(60 + (i % 400), i)}\n`],
  (i) => [`assets/img${i % 20}/pic${i}.png`, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), gen.bytes(2000 + (i % 30000))])],
];

export function generateBenchTree(root: string, files = 10_000): { files: number; keys: number } {
  const write = (rel: string, content: string | Buffer): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  // A few big and awkward files among them.
  write('package-lock.json', `${JSON.stringify({ packages: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`node_modules/p${i}`, { version: '1.0.0', integrity: gen.integrity() }])) }, null, 2)}\n`);
  write('dist/app.min.js', `!function(){${minifiedFiller(2_000_000)}}();\n`);
  // Planted keys: 5, in ordinary places.
  write('.env', `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
  write('src/mod1/client.ts', `const key = "${gen.signed()}";\n`);
  write('app/pkg2/settings.py', `ALIBABA_CLOUD_ACCESS_KEY_ID = "${gen.accessKeyId()}"\nALIBABA_CLOUD_ACCESS_KEY_SECRET = "${gen.accessKeySecret()}"\n`);
  write('scripts/plan.sh', `export ANTHROPIC_AUTH_TOKEN=${gen.planHex()}\n`);
  let written = 6;
  for (let i = 0; written < files; i++, written++) {
    const [rel, content] = MAKERS[i % MAKERS.length](i);
    write(rel, content);
  }
  return { files: written, keys: 5 };
}

if (require.main === module) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: bench-tree <dir> [files]');
    process.exit(2);
  }
  const { files, keys } = generateBenchTree(path.resolve(dir), count ? Number(count) : undefined);
  console.log(`${files} files, ${keys} planted keys in ${dir}`);
}
