#!/usr/bin/env node
'use strict';
/**
 * Bundles the compiled CLI and the scan worker into one file each (dist/bundle/), after tsc: start-up then reads
 * and compiles one file instead of ~150 (node -e 0 ≈ 50 ms of CPU; the CLI's own start-up drops from ~70 to ~35 ms
 * of CPU above that, see bench/RESULTS.md). Without esbuild (a production install), bin/ falls back to dist/src.
 */
const path = require('node:path');

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.log('esbuild is not installed: the CLI runs from dist/src (unbundled)');
  process.exit(0);
}

const root = path.resolve(__dirname, '..');
esbuild.buildSync({
  entryPoints: {
    cli: path.join(root, 'dist', 'src', 'cli', 'main.js'),
    'scan-worker': path.join(root, 'dist', 'src', 'engine', 'scan-worker.js'),
  },
  outdir: path.join(root, 'dist', 'bundle'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax only: names stay readable in --debug stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
