import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { readFileFragmentsSync } from '../../src/sources/read-file';
import type { Finding } from '../../src/types';
import { runCliProcess, runProcess } from '../support/cli-process';
import { KeyGenerator } from '../support/keys';
import { git, gitInit } from '../support/temp-tree';

// Issue 9, items 5, 8 and 9: hostile files in a scanned tree (links, FIFOs, devices, names that are not UTF-8).
// Anything that could block or fill memory runs the built CLI as a child process killed after a timeout, so a
// regression fails the test instead of hanging it.

const gen = new KeyGenerator('hostile-files');
const key = gen.legacy();
let root: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'msl-hostile-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

describe('config and baseline are regular files under a cap (item 5)', () => {
  it('a .ms-leakscan.json linked to /etc/passwd is refused with one line, and nothing of the target is printed', () => {
    symlinkSync('/etc/passwd', path.join(root, '.ms-leakscan.json'));
    writeFileSync(path.join(root, 'a.env'), 'nothing\n');
    const out = runCliProcess(['.'], root);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^ms-leakscan: config \.ms-leakscan\.json: it is a symbolic link, not a regular file, which ms-leakscan does not read/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stdout + out.stderr).not.toContain('root:');
  });

  it('a package.json linked to /dev/zero ends the scan normally (no config), instead of reading without end', () => {
    symlinkSync('/dev/zero', path.join(root, 'package.json'));
    writeFileSync(path.join(root, 'a.env'), `DASHSCOPE_API_KEY=${key}\n`);
    const out = runCliProcess(['.', '--format', 'json'], root);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(1);
    expect((JSON.parse(out.stdout) as { findings: Finding[] }).findings.map((f) => f.path)).toEqual(['a.env']);
  });

  it('a .ms-leakscan.json that is a FIFO is refused at once, not waited on', () => {
    mkfifo(path.join(root, '.ms-leakscan.json'));
    const out = runCliProcess(['.'], root, 15_000);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('config .ms-leakscan.json: it is a FIFO (named pipe), not a regular file');
  });

  it.each([
    ['/dev/zero', 'a device'],
    ['a FIFO', 'a FIFO (named pipe)'],
  ])('a baseline named in the config that is %s is refused with one line', (target, kind) => {
    if (target === 'a FIFO') mkfifo(path.join(root, 'base.txt'));
    writeFileSync(path.join(root, '.ms-leakscan.json'), JSON.stringify({ baseline: target === 'a FIFO' ? 'base.txt' : target }));
    const out = runCliProcess(['.'], root, 15_000);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`baseline .*: it is ${kind.replace(/[()]/g, '\\$&')}, not a regular file`));
  });

  it('a config over the size cap is refused with one line', async () => {
    writeFileSync(path.join(root, '.ms-leakscan.json'), `{"allowPaths": [${'"x",'.repeat(300_000)}"y"]}`);
    const out = await run(['.'], { cwd: root });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^ms-leakscan: config \.ms-leakscan\.json: it is \d+ bytes, over the limit of 1048576 bytes/);
  });
});

describe('explicit paths and -- (item 8)', () => {
  it('ms-leakscan -- DIR scans DIR, not the current folder', async () => {
    mkdirSync(path.join(root, 'dir'));
    writeFileSync(path.join(root, 'dir', 'a.env'), `DASHSCOPE_API_KEY=${key}\n`);
    mkdirSync(path.join(root, 'elsewhere'));
    const out = await run(['--format', 'json', '--', path.join(root, 'dir')], { cwd: path.join(root, 'elsewhere') });
    expect(out.exitCode).toBe(1);
    expect((JSON.parse(out.stdout) as { findings: Finding[] }).findings).toHaveLength(1);
  });

  it('paths before and after -- are all scanned, including one that starts with a dash', async () => {
    writeFileSync(path.join(root, 'a.env'), `DASHSCOPE_API_KEY=${key}\n`);
    writeFileSync(path.join(root, '-b.env'), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
    const out = await run(['scan', 'a.env', '--format', 'json', '--', '-b.env'], { cwd: root });
    expect((JSON.parse(out.stdout) as { findings: Finding[] }).findings.map((f) => f.path).sort()).toEqual(['-b.env', 'a.env']);
  });

  it.each([
    ['a symbolic link', (p: string) => symlinkSync(path.join(root, 'real.env'), p), /is a symbolic link/],
    ['a FIFO', (p: string) => mkfifo(p), /is a FIFO \(named pipe\)/],
  ])('an explicit path that is %s is reported (exit 2), never "0 files", clean', (_name, make, said) => {
    writeFileSync(path.join(root, 'real.env'), `DASHSCOPE_API_KEY=${key}\n`);
    make(path.join(root, 'odd'));
    const out = runCliProcess(['odd'], root, 15_000);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(said);
    expect(out.stdout).not.toMatch(/0 findings/);
  });

  it('an explicit device (/dev/zero) is reported (exit 2)', () => {
    const out = runCliProcess(['/dev/zero'], root, 15_000);
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('/dev/zero: is a device');
  });
});

describe('odd files met while scanning (item 9)', () => {
  it('a file that is a FIFO when opened is refused at once (the listing saw a regular file)', () => {
    const fifo = path.join(root, 'pipe');
    mkfifo(fifo);
    // readFileFragmentsSync is the open that a file swapped after listing reaches; a blocking open would hang the
    // test process, so a child runs it under a timeout.
    const script = `
      const { readFileFragmentsSync } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'src', 'sources', 'read-file.js'))});
      try { readFileFragmentsSync(${JSON.stringify(fifo)}, 'pipe', () => {}); console.log('read'); }
      catch (error) { console.log(error.code + ' ' + error.message); }`;
    const out = runProcess(process.execPath, ['-e', script], root, 15_000);
    expect(out.timedOut).toBe(false);
    expect(out.stdout.trim()).toBe('ENOTREG is a FIFO (named pipe), not a regular file');
  });

  it('a file that is a link when opened is not followed out of the tree', () => {
    const outside = path.join(root, 'outside.env');
    writeFileSync(outside, `DASHSCOPE_API_KEY=${key}\n`);
    mkdirSync(path.join(root, 'tree'));
    symlinkSync(outside, path.join(root, 'tree', 'swapped.env'));
    const fragments: string[] = [];
    expect(() => readFileFragmentsSync(path.join(root, 'tree', 'swapped.env'), 'swapped.env', (f) => fragments.push(f.bytes.toString()))).toThrow(
      expect.objectContaining({ code: 'ELOOP' }),
    );
    expect(fragments).toEqual([]);
  });

  it('a file that grows while it is read is read up to its size at open', () => {
    const file = path.join(root, 'growing.log');
    const line = `${'x'.repeat(99)}\n`;
    const lines = 200_000; // 20 MB: over one 8 MB read, so the file is read in several pieces
    writeFileSync(file, line.repeat(lines));
    let appended = 0;
    const outcome = readFileFragmentsSync(file, 'growing.log', () => {
      // Grows under the reader after each piece (bounded, so a regression reads more rather than forever).
      if (appended++ < 5) appendFileSync(file, line.repeat(100_000));
    });
    expect(appended).toBeGreaterThan(1);
    expect(outcome.bytes).toBe(lines * line.length);
  });

  const badName = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.env')]);

  it.each([
    ['outside git (the walker)', false],
    ['in a git work tree (git ls-files)', true],
  ])('a file whose name is not valid UTF-8 is scanned and its path printed escaped, %s', async (_where, inGit) => {
    if (inGit) gitInit(root);
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'sub') + path.sep), badName]), `DASHSCOPE_API_KEY=${key}\n`);
    if (inGit) git(root, 'add', '-A');
    const json = await run(['.', '--format', 'json'], { cwd: root });
    expect(json.stderr).toBe('');
    const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
    expect(findings.map((f) => f.path)).toEqual(['sub/bad\\xff\\xfe.env']);
    const text = await run(['.'], { cwd: root });
    expect(text.stdout).toContain('sub/bad\\xff\\xfe.env\n');
  });

  it('a folder whose name is not valid UTF-8 is walked', async () => {
    const dir = Buffer.concat([Buffer.from(root + path.sep), badName]);
    mkdirSync(dir);
    writeFileSync(Buffer.concat([dir, Buffer.from('/a.env')]), `DASHSCOPE_API_KEY=${key}\n`);
    const json = await run(['.', '--format', 'json', '--threads', '2'], { cwd: root });
    expect((JSON.parse(json.stdout) as { findings: Finding[] }).findings.map((f) => f.path)).toEqual(['bad\\xff\\xfe.env/a.env']);
  });
});
