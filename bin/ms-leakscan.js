#!/usr/bin/env node
'use strict';
// Thin launcher: all behaviour lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via prepare).
require('../dist/src/cli/main.js').main();
