'use strict';
/** Runs one command under GNU time: wall (hrtime), user and system CPU, peak RSS of the process tree's largest. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const TIME = '/usr/bin/time';
const timeFile = path.join(os.tmpdir(), `ms-leakscan-bench-time-${process.pid}`);

function measure(command) {
  const inner = command.shell ? ['sh', '-c', command.shell] : command.argv;
  const out = command.stdoutFile ? fs.openSync(command.stdoutFile, 'w') : 'ignore';
  // The 1-minute load average as the run starts: on a shared machine, what the other figures ran against.
  const load = os.loadavg()[0];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%U %S %M', '-o', timeFile, ...inner], {
    cwd: command.cwd,
    stdio: ['ignore', out, 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (typeof out === 'number') fs.closeSync(out);
  const [user, sys, rssKb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const ok = (command.okCodes ?? [0]).includes(r.status);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, load, ok, status: r.status, stderr: ok ? '' : String(r.stderr).slice(-500) };
}

module.exports = { measure };
