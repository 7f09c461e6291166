#!/usr/bin/env node
'use strict';
// Usage: ms-leakscan history --format json > report.json; node bench/check-planted.js DIR.planted.json report.json
// Checks that every key planted by synthetic-history.js is found exactly once, at the commit that introduced it.
const planted = require(require('path').resolve(process.argv[2]));
const report = require(require('path').resolve(process.argv[3]));
const got = report.findings.map((f) => `${f.path} @ ${f.commit && f.commit.message}`).sort();
const want = planted.map((p) => `${p.path} @ ${p.msg}`).sort();
const missing = want.filter((w) => !got.includes(w));
const extra = got.filter((g) => !want.includes(g));
console.log(`${want.length} planted, ${got.length} found, ${missing.length} missing, ${extra.length} extra`);
for (const m of missing) console.log(`missing: ${m}`);
for (const e of extra) console.log(`extra: ${e}`);
process.exitCode = missing.length || extra.length ? 1 : 0;
