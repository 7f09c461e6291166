#!/usr/bin/env node
'use strict';
// Thin launcher: all behaviour lives in src/cli, compiled to dist/ by `npm run build` (run by `npm pack`/publish
// through prepack, and by `npm test`). The bundle (one file, faster start-up) is used when the build made it.
const { existsSync } = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'bundle', 'cli.js');
const unbundled = path.join(dist, 'src', 'cli', 'main.js');
if (!existsSync(bundle) && !existsSync(unbundled)) {
  // Only a source checkout lacks dist/: a package always ships it.
  process.stderr.write('ms-leakscan: not built yet (no dist/ folder) — run npm run build in the ms-leakscan checkout first\n');
  process.exitCode = 2;
} else {
  require(existsSync(bundle) ? bundle : unbundled)
    .main()
    .catch((error) => {
      // run() turns every error into an outcome; this is the last guard, one line and exit 2, never a stack trace.
      process.stderr.write(`ms-leakscan: unexpected error: ${error && error.message ? error.message : String(error)}\n`);
      process.exitCode = 2;
    });
}
