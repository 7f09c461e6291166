#!/usr/bin/env node
'use strict';
// Bundles the GitHub Action entry (src/action/index.ts) and everything it imports into one file that the runner
// starts with no node_modules: dist-action/index.js by default, or the path given (the staleness test builds into a
// temporary folder and compares). Paths in the bundle's comments are relative to the repository root, so the
// output does not depend on where it is written.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outfile = path.resolve(process.argv[2] ?? path.join(root, 'dist-action', 'index.js'));

esbuild
  .build({
    absWorkingDir: root,
    entryPoints: ['src/action/index.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    charset: 'utf8',
    legalComments: 'eof',
    logLevel: 'warning',
    outfile,
  })
  .catch(() => process.exit(1));
