import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { writeFileAtomic } from '../../src/cli/write-atomic';
import { threadsOption } from '../../src/cli/threads';
import { runProcess } from '../support/cli-process';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// Issue 9, items 4 and 10: where reports go. Nothing is written through a link, a report file is whole or absent,
// and a reader that goes away or a full disk ends the run with one line.

const gen = new KeyGenerator('output-files');
let root: string;
let victim: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'msl-output-')));
  mkdirSync(path.join(root, 'repo'));
  writeFileSync(path.join(root, 'repo', 'a.env'), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
  victim = path.join(root, 'victim.txt');
  writeFileSync(victim, 'precious\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const repo = (...parts: string[]): string => path.join(root, 'repo', ...parts);
/** Files left in a folder besides `expected`: a temporary file left behind shows here. */
const leftovers = (dir: string, expected: string[]): string[] => readdirSync(dir).filter((f) => !expected.includes(f));

describe('reports are never written through a link (item 4)', () => {
  it.each([
    ['scan --output (sarif)', ['.', '--format', 'sarif', '--output', 'ms-leakscan.sarif']],
    ['scan --output (text)', ['.', '--output', 'ms-leakscan.sarif']],
    ['baseline --output', ['baseline', '.', '--output', 'ms-leakscan.sarif']],
  ])('%s to a committed link is refused with one line; the link target is untouched', async (_name, argv) => {
    symlinkSync('../victim.txt', repo('ms-leakscan.sarif'));
    const out = await run(argv, { cwd: repo() });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe('ms-leakscan: cannot write --output ms-leakscan.sarif: it is a symbolic link, which ms-leakscan does not write through — remove the link or pick another path\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(repo('ms-leakscan.sarif')).isSymbolicLink()).toBe(true);
    expect(leftovers(repo(), ['a.env', 'ms-leakscan.sarif'])).toEqual([]);
  });

  it('a report replaces an existing file by rename (a new inode: readers see the old or the new file whole)', async () => {
    writeFileSync(repo('report.json'), 'old');
    const before = statSync(repo('report.json')).ino;
    const out = await run(['.', '--format', 'json', '--output', 'report.json'], { cwd: repo() });
    expect(out.exitCode).toBe(1);
    expect(statSync(repo('report.json')).ino).not.toBe(before);
    expect(JSON.parse(readFileSync(repo('report.json'), 'utf8'))).toHaveProperty('findings');
    expect(leftovers(repo(), ['a.env', 'report.json'])).toEqual([]);
  });

  it('two runs writing one --output at once leave one whole report', async () => {
    const outs = await Promise.all([
      runCliProcessAsync(['.', '--format', 'sarif', '--output', 'same.sarif']),
      runCliProcessAsync(['.', '--format', 'json', '--output', 'same.sarif']),
    ]);
    expect(outs).toEqual([1, 1]);
    expect(() => JSON.parse(readFileSync(repo('same.sarif'), 'utf8'))).not.toThrow();
    expect(leftovers(repo(), ['a.env', 'same.sarif'])).toEqual([]);
  });

  it('the Action writer (its empty-plan SARIF) refuses a link the same way', () => {
    symlinkSync(victim, repo('ms-leakscan.sarif'));
    expect(() => writeFileAtomic(repo('ms-leakscan.sarif'), '{}', 'sarif-file ms-leakscan.sarif')).toThrow(/it is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  describe('init', () => {
    let r: TempRepo;
    beforeEach(() => {
      r = new TempRepo();
    });
    afterEach(() => r.cleanup());

    it('refuses a .husky/pre-commit that is a link, even with --force, and leaves its target alone', async () => {
      mkdirSync(path.join(r.dir, '.husky'));
      symlinkSync(victim, path.join(r.dir, '.husky', 'pre-commit'));
      const out = await run(['init', '--force'], { cwd: r.dir });
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/^ms-leakscan: \.husky\/pre-commit: it is a symbolic link, not a regular file/);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    });

    it('refuses a .husky that is a link to a folder elsewhere', async () => {
      const elsewhere = path.join(root, 'elsewhere');
      mkdirSync(elsewhere);
      symlinkSync(elsewhere, path.join(r.dir, '.husky'));
      const out = await run(['init'], { cwd: r.dir });
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toContain('.husky: is a symbolic link');
      expect(readdirSync(elsewhere)).toEqual([]);
    });

    it('still writes an executable hook into a plain repository', async () => {
      const out = await run(['init'], { cwd: r.dir });
      expect(out.exitCode).toBe(0);
      expect(statSync(path.join(r.dir, '.git', 'hooks', 'pre-commit')).mode & 0o777).toBe(0o755);
    });
  });
});

/** A small filesystem that is full after a few kB: a tmpfs mount (root only; skipped otherwise). */
function mountTinyFs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const probe = mkdtempSync(path.join(os.tmpdir(), 'msl-mount-probe-'));
const canMount = mountTinyFs(probe);
if (canMount) execFileSync('umount', [probe]);
rmSync(probe, { recursive: true, force: true });

describe('output failures (item 10)', () => {
  (canMount ? it : it.skip)('--output on a full disk exits 2 with one line and leaves neither a truncated report nor a temporary file (needs root to mount a tmpfs)', async () => {
    const full = path.join(root, 'full');
    mkdirSync(full);
    expect(mountTinyFs(full)).toBe(true);
    try {
      for (let i = 0; i < 300; i++) writeFileSync(repo(`k${i}.env`), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
      const out = await run(['.', '--format', 'sarif', '--output', path.join(full, 'r.sarif')], { cwd: repo() });
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/^ms-leakscan: cannot write --output .*r\.sarif: the disk is full \(ENOSPC\) — free some disk space or pick another disk\n$/);
      expect(readdirSync(full)).toEqual([]);
    } finally {
      execFileSync('umount', [full]);
    }
  });

  it('a reader that stops early (| head -1) ends the run quietly: no EPIPE trace', () => {
    for (let i = 0; i < 400; i++) writeFileSync(repo(`k${i}.env`), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
    const out = runProcess('sh', ['-c', `"${process.execPath}" "${path.join(__dirname, '..', '..', 'bin', 'ms-leakscan.js')}" --format json . | head -1`], repo());
    expect(out.timedOut).toBe(false);
    expect(out.stdout).toBe('{\n');
    expect(out.stderr).toBe('');
  });

  it('standard output on a full device (/dev/full) gives one line and exit 2', () => {
    const out = runProcess('sh', ['-c', `"${process.execPath}" "${path.join(__dirname, '..', '..', 'bin', 'ms-leakscan.js')}" . > /dev/full`], repo());
    expect(out.timedOut).toBe(false);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe('ms-leakscan: cannot write the report to standard output: ENOSPC — free some disk space or write it elsewhere with --output\n');
  });

  // Checked on the option, not by a run: a regression would start 99,999 worker threads and exhaust the memory of
  // the machine the tests run on.
  it('--threads has an upper bound', () => {
    expect(() => threadsOption(99999)).toThrow('--threads 99999 is more than 64 — use at most 64 (more threads than cores only wait), or leave it out to use every core');
    expect(threadsOption(64)).toBe(64);
  });
});

function runCliProcessAsync(argv: string[]): Promise<number | null> {
  // Two real processes at once (spawnSync would run them one after the other).
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ms-leakscan.js'), ...argv], { cwd: repo(), stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
