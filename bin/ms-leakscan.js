#!/usr/bin/env node
'use strict';
// Thin launcher: all behaviour lives in src/cli, compiled to dist/ by `npm run build` (which `npm ci` runs via
// prepare). The bundle (one file, faster start-up) is used when the build made it.
const { existsSync } = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'cli.js');
require(existsSync(bundle) ? bundle : '../dist/src/cli/main.js').main();
