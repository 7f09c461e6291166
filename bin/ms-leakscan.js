#!/usr/bin/env node
'use strict';
// Thin launcher: all behaviour lives in src/cli, compiled to dist/ by `npm run build` (which `npm ci` runs via
// prepare). The bundle (one file, faster start-up) is used when the build made it.
const { existsSync } = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'cli.js');
require(existsSync(bundle) ? bundle : '../dist/src/cli/main.js')
  .main()
  .catch((error) => {
    // run() turns every error into an outcome; this is the last guard, one line and exit 2, never a stack trace.
    process.stderr.write(`ms-leakscan: unexpected error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
