import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REFUSED_MESSAGE_HELP } from '../../src/cli/commands/message';
import { run } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { gitTestEnv, TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// The commit-msg hook: `ms-leakscan message FILE` scans the message git is about to record.

const gen = new KeyGenerator('message');
const ROOT = path.resolve(__dirname, '../..');
const SCISSORS = '# ------------------------ >8 ------------------------';

describe('ms-leakscan message FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'msl-msg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    writeFileSync(path.join(dir, name), text);
    return name;
  };

  it('reports a key in the message at its line and column, redacted, with the ways forward', async () => {
    const secret = gen.legacy();
    const file = write('COMMIT_EDITMSG', `Switch the model\n\nTried the dashscope key ${secret} first.\n# Please enter the commit message\n`);
    const out = await run(['message', file], { cwd: dir, env: {} });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^COMMIT_EDITMSG\n\s+3:25\s+error\s+sk-[0-9a-f]{2}…[0-9a-f]{2}\s+Alibaba Cloud Model Studio API key/);
    expect(out.stderr).toContain(REFUSED_MESSAGE_HELP);
    expect(out.stdout + out.stderr).not.toContain(secret);
  });

  it('the commit-msg alias and JSON: the finding is at the file as given, and --quiet drops the ways forward', async () => {
    const secret = gen.signed();
    mkdirSync(path.join(dir, '.git'));
    write('.git/COMMIT_EDITMSG', `DASHSCOPE_API_KEY=${secret}\n`);
    const out = await run(['commit-msg', '.git/COMMIT_EDITMSG', '--format', 'json', '--quiet'], { cwd: dir, env: {} });
    expect(out.exitCode).toBe(1);
    const findings = (JSON.parse(out.stdout) as { findings: Finding[] }).findings;
    expect(findings.map((f) => [f.path, f.startLine, f.startColumn, f.ruleId])).toEqual([['.git/COMMIT_EDITMSG', 1, 19, 'alibaba-model-studio-signed-api-key']]);
    expect(out.stderr).toBe('');
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('ignores what git -v appends below the scissors line (%s), and scans above it', async (_name, eol) => {
    const below = [SCISSORS, '# Do not modify or remove the line above.', 'diff --git a/app.env b/app.env', `+DASHSCOPE_API_KEY=${gen.legacy()}`].join(eol);
    const clean = await run(['message', write('m1', `Add config${eol}${eol}${below}${eol}`)], { cwd: dir, env: {} });
    expect([clean.exitCode, clean.stdout]).toEqual([0, expect.stringMatching(/^0 findings/)]);
    const dirty = await run(['message', write('m2', `Add config ${gen.legacy()}${eol}${below}${eol}`), '--format', 'json'], { cwd: dir, env: {} });
    expect((JSON.parse(dirty.stdout) as { findings: Finding[] }).findings.map((f) => f.startLine)).toEqual([1]);
  });

  it('an allow comment on the line is honoured', async () => {
    const out = await run(['message', write('m', `Example key ${gen.legacy()} ms-leakscan:allow revoked test key\n`)], { cwd: dir, env: {} });
    expect(out.exitCode).toBe(0);
  });

  it.each<[string, (d: string) => string, RegExp]>([
    ['a missing file', () => 'nope', /^ms-leakscan: commit message file "nope": cannot read it \(ENOENT\) — pass the file git gives a commit-msg hook: ms-leakscan message "\$1"\n$/],
    ['a folder', (d) => (mkdirSync(path.join(d, 'sub')), 'sub'), /^ms-leakscan: commit message file "sub": it is a folder, not a regular file, .*\n$/],
    ['a link', (d) => (writeFileSync(path.join(d, 't'), 'x'), symlinkSync('t', path.join(d, 'l')), 'l'), /^ms-leakscan: commit message file "l": it is a symbolic link, not a regular file, .*\n$/],
    ['a FIFO (not waited on)', (d) => (spawnSync('mkfifo', [path.join(d, 'f')]), 'f'), /^ms-leakscan: commit message file "f": it is a FIFO \(named pipe\), not a regular file, .*\n$/],
  ])('%s is one line and exit 2', async (_name, make, expected) => {
    const out = await run(['message', make(dir)], { cwd: dir, env: {} });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(expected);
  });
});

describe('a commit-msg hook running ms-leakscan message (real git commit)', () => {
  let r: TempRepo;
  const commit = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const res = spawnSync('git', ['commit', ...args], { cwd: r.dir, env: gitTestEnv(env), encoding: 'utf8' });
    return { status: res.status, output: `${res.stdout}${res.stderr}` };
  };
  beforeAll(() => {
    r = new TempRepo();
    r.write('README', 'x\n').commit('base');
    r.write('hooks/commit-msg', `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/ms-leakscan.js')}" message "$1"\n`).executable('hooks/commit-msg');
    r.git('config', 'core.hooksPath', 'hooks');
  });
  afterAll(() => r.cleanup());

  it('refuses a message holding a key (nothing is committed), then takes the message without it', () => {
    const secret = gen.legacy();
    r.write('a.txt', 'a\n').git('add', 'a.txt');
    const blocked = commit(['-m', `Use key ${secret} for the demo`]);
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toMatch(/\.git\/COMMIT_EDITMSG\n\s+1:9\s+warning\s+sk-[0-9a-f]{2}…[0-9a-f]{2}\s+Alibaba Cloud Model Studio API key \(Model Studio/);
    expect(blocked.output).toContain('commit refused: its message holds the key(s) above');
    expect(blocked.output).not.toContain(secret);
    expect(r.git('log', '--format=%s').trim()).toBe('base');

    const passed = commit(['-m', 'Use the key from the environment']);
    expect(passed.status).toBe(0);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Use the key from the environment');
  });

  it('git commit -v: the diff below the scissors line is not the message', () => {
    r.write('app.env', `DASHSCOPE_API_KEY=${gen.legacy()}\n`).git('add', 'app.env');
    // The editor writes the subject on the template's first line; git -v has put the staged diff below the scissors.
    const passed = commit(['-v'], { GIT_EDITOR: "sed -i '1s/^/Add app config/'" });
    expect(passed.output).toMatch(/0 findings/);
    expect(passed.status).toBe(0);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Add app config');
  });
});
