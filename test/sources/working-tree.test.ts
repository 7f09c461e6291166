import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { CHUNK_BYTES } from '../../src/sources/read-file';
import { KeyGenerator } from '../support/keys';
import { git, gitInit, makeTree, writeFiles } from '../support/temp-tree';

const gen = new KeyGenerator('working-tree');

interface JsonReport {
  findings: { path: string; ruleId: string; level: string; startLine: number; startColumn: number; endColumn: number; secret: string }[];
  errors: { path: string; message: string }[];
  stats: { files: number; bytes: number };
}

async function scan(cwd: string, ...argv: string[]): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const outcome = await run(['--format', 'json', '--show-secret', ...argv], { cwd, env: {} });
  return { exitCode: outcome.exitCode, report: JSON.parse(outcome.stdout) as JsonReport, stderr: outcome.stderr };
}

/** `path:line:column` of each finding, the shape most assertions compare. */
const where = (report: JsonReport): string[] => report.findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn}`);

describe('working tree: which files', () => {
  it('scans dotfiles and nested folders, never .git/, outside a git work tree', async () => {
    const key = gen.legacy();
    const tree = makeTree({
      '.env': `DASHSCOPE_API_KEY=${key}\n`,
      '.config/app/settings.toml': `dashscope_key = "${gen.legacy()}"\n`,
      '.git/config': `[dashscope]\n\tkey = ${gen.legacy()}\n`,
      'sub/.git/HEAD': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
    });
    try {
      const { exitCode, report } = await scan(tree.root, '.');
      expect(where(report)).toEqual(['.config/app/settings.toml:1:18', '.env:1:19']);
      expect(report.findings[1].secret).toBe(key);
      expect(report.stats.files).toBe(2);
      expect(exitCode).toBe(1);
    } finally {
      tree.remove();
    }
  });

  describe('in a git work tree', () => {
    let root: string;
    let remove: () => void;
    beforeAll(() => {
      ({ root, remove } = makeTree({
        '.gitignore': 'secrets/\n*.local\n',
        'tracked.py': `DASHSCOPE_API_KEY = "${gen.legacy()}"\n`,
        'secrets/prod.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
        'config.local': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
      }));
      gitInit(root);
      git(root, 'add', '.');
      git(root, 'commit', '-qm', 'init');
      // Untracked and not ignored: a file someone is about to add.
      writeFiles(root, { 'new/untracked.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`, '.git/leak': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
    });
    afterAll(() => remove());

    it('respects .gitignore and scans tracked and untracked-not-ignored files', async () => {
      const { report } = await scan(root, '.');
      expect(where(report)).toEqual(['new/untracked.env:1:19', 'tracked.py:1:22']);
      expect(report.stats.files).toBe(3); // .gitignore, tracked.py, new/untracked.env
    });

    it('--no-ignore scans ignored files too, still not .git/', async () => {
      const { report } = await scan(root, '--no-ignore', '.');
      expect(where(report)).toEqual(['config.local:1:19', 'new/untracked.env:1:19', 'secrets/prod.env:1:19', 'tracked.py:1:22']);
    });

    it('scans an ignored file named on the command line', async () => {
      const { report } = await scan(root, 'secrets/prod.env');
      expect(where(report)).toEqual(['secrets/prod.env:1:19']);
    });

    it('lists a nested clone and a submodule with their own git and ignore rules; odd file names are fine', async () => {
      const { root: top, remove: removeTop } = makeTree({ 'top.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
      const { root: upstream, remove: removeUpstream } = makeTree({ 'sub.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
      try {
        gitInit(upstream);
        git(upstream, 'add', '.');
        git(upstream, 'commit', '-qm', 'init');
        gitInit(top);
        git(top, '-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', upstream, 'vendor/sub');
        writeFiles(top, {
          'clone/.gitignore': 'ignored.env\n',
          'clone/ignored.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
          'clone/中文 目录/my key.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
          'bom.env': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}\n`)]),
        });
        gitInit(path.join(top, 'clone'));
        const { report } = await scan(top, '.');
        expect(where(report)).toEqual(['bom.env:1:19', 'clone/中文 目录/my key.env:1:19', 'top.env:1:19', 'vendor/sub/sub.env:1:19']);
      } finally {
        removeTop();
        removeUpstream();
      }
    });

    it('reports paths relative to the current folder when scanning a subfolder', async () => {
      const { report } = await scan(path.join(root, 'new'), '..');
      expect(where(report)).toEqual(['../tracked.py:1:22', 'untracked.env:1:19']);
    });
  });
});

describe('working tree: file contents', () => {
  it('skips binary files by content but scans UTF-16 files with a BOM (LE, BE, odd length)', async () => {
    const [le, be, odd] = [gen.legacy(), gen.legacy(), gen.legacy()];
    const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();
    const tree = makeTree({
      'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]), Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}`)]),
      'le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`# 配置\r\nDASHSCOPE_API_KEY=${le}\r\n`, 'utf16le')]),
      'be.txt': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`x\nDASHSCOPE_API_KEY=${be}\n`)]),
      // An odd byte count: a truncated UTF-16 file must not crash the scan.
      'odd.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`DASHSCOPE_API_KEY=${odd}\n`, 'utf16le'), Buffer.from([0x41])]),
    });
    try {
      const { report } = await scan(tree.root, '.');
      expect(report.errors).toEqual([]);
      expect(report.findings.map((f) => [f.path, f.startLine, f.startColumn, f.secret])).toEqual([
        ['be.txt', 2, 19, be],
        ['le.txt', 2, 19, le],
        ['odd.txt', 1, 19, odd],
      ]);
      expect(report.stats.files).toBe(3);
    } finally {
      tree.remove();
    }
  });

  it('scans a 21 MB file in chunks: keys at the start, across the first chunk edge and on the last line', async () => {
    // 210,000 lines of exactly 100 bytes. Line 83,887 starts at byte 8,388,600, so its key (bytes 8,388,602 to
    // 8,388,637) straddles the 8 MB chunk edge at 8,388,608.
    expect(CHUNK_BYTES).toBe(8_388_608);
    const keyLine = (key: string): string => `K=${key} # dashscope`.padEnd(99, ' ');
    const filler = '# lorem ipsum dolor sit amet, consectetur adipiscing elit'.padEnd(99, '.');
    const keys = { 2: gen.legacy(), 83887: gen.legacy(), 210000: gen.legacy() } as Record<number, string>;
    const lines: string[] = [];
    for (let n = 1; n <= 210_000; n++) lines.push(keys[n] ? keyLine(keys[n]) : filler);
    const tree = makeTree({ 'big.log': `${lines.join('\n')}\n` });
    try {
      const { report } = await scan(tree.root, '.');
      expect(report.stats.bytes).toBe(21_000_000);
      expect(report.findings.map((f) => [f.startLine, f.startColumn, f.endColumn, f.level, f.secret])).toEqual([
        [2, 3, 38, 'error', keys[2]],
        [83887, 3, 38, 'error', keys[83887]],
        [210000, 3, 38, 'error', keys[210000]],
      ]);
    } finally {
      tree.remove();
    }
  });

  it('reads on through a 9 MB line that spans two reads, without mixing up the first read\'s bytes', async () => {
    const [first, last] = [gen.legacy(), gen.legacy()];
    const tree = makeTree({ 'one-line.js': `"${first}";${'b'.repeat(9_000_000)};"${last}"\n` });
    try {
      const { report } = await scan(tree.root, '.');
      expect(report.findings.map((f) => [f.startLine, f.startColumn, f.secret])).toEqual([
        [1, 2, first],
        [1, 9_000_041, last],
      ]);
    } finally {
      tree.remove();
    }
  });

  it('finds a key at the end of a 1 MB line, and after 300,000 Chinese characters on one line', async () => {
    const [ascii, cjk] = [gen.legacy(), gen.legacy()];
    const tree = makeTree({
      'bundle.js': `${'a'.repeat(1_048_576)}"${ascii}"`,
      'zh.txt': `${'中'.repeat(300_000)}${cjk}\n`,
    });
    try {
      const { report } = await scan(tree.root, '.');
      expect(report.findings.map((f) => [f.path, f.startLine, f.startColumn, f.endColumn, f.secret])).toEqual([
        ['bundle.js', 1, 1_048_578, 1_048_613, ascii],
        ['zh.txt', 1, 300_001, 300_036, cjk],
      ]);
    } finally {
      tree.remove();
    }
  });
});

describe('working tree: links, permissions, missing paths', () => {
  it('does not follow symbolic links (to a file outside, a folder outside, a loop)', async () => {
    const outside = makeTree({ 'outside.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`, 'dir/inner.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
    const key = gen.legacy();
    const tree = makeTree({ 'real.env': `DASHSCOPE_API_KEY=${key}\n` });
    try {
      symlinkSync(path.join(outside.root, 'outside.env'), path.join(tree.root, 'link.env'));
      symlinkSync(path.join(outside.root, 'dir'), path.join(tree.root, 'linkdir'));
      symlinkSync(tree.root, path.join(tree.root, 'loop'));
      symlinkSync('real.env', path.join(tree.root, 'inside-link.env'));
      for (const extra of [[], ['--no-ignore']]) {
        const { report } = await scan(tree.root, ...extra, '.');
        expect(where(report)).toEqual(['real.env:1:19']);
        expect(report.errors).toEqual([]);
      }
      gitInit(tree.root);
      const { report } = await scan(tree.root, '.');
      expect(where(report)).toEqual(['real.env:1:19']);
    } finally {
      tree.remove();
      outside.remove();
    }
  });

  it('reports an unreadable file in errors, scans the rest and exits 2, also when it found keys', async () => {
    const tree = makeTree({ 'ok.txt': 'nothing here\n', 'locked.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`, 'dir/fine.txt': 'hello\n' });
    chmodSync(tree.root, 0o755);
    chmodSync(path.join(tree.root, 'dir'), 0o755);
    chmodSync(path.join(tree.root, 'locked.env'), 0o000);
    try {
      const { exitCode, report, stderr } = await asUnprivileged(() => scan(tree.root, '.'));
      expect(report.errors).toEqual([{ path: 'locked.env', message: expect.stringMatching(/^EACCES: permission denied/) }]);
      expect(report.stats.files).toBe(2);
      expect(exitCode).toBe(2);
      expect(stderr).toBe(
        'ms-leakscan: the scan is incomplete: 1 error(s) above name what could not be read and how to fix it\n',
      );
      // Findings elsewhere are reported, and the scan is still incomplete: exit 2, the stderr line says both.
      writeFileSync(path.join(tree.root, 'dir/fine.txt'), `DASHSCOPE_API_KEY=${gen.legacy()}\n`);
      const second = await asUnprivileged(() => scan(tree.root, '.'));
      expect(second.exitCode).toBe(2);
      expect(second.stderr).toMatch(/the scan is incomplete: 1 error\(s\) .*; 1 finding\(s\) at or above warning were reported from what could be read\n$/);
      expect(where(second.report)).toEqual(['dir/fine.txt:1:19']);
      expect(second.report.errors).toHaveLength(1);
    } finally {
      chmodSync(path.join(tree.root, 'locked.env'), 0o600);
      tree.remove();
    }
  });

  it('scans a folder outside git when git can only warn that ~/.gitconfig is unreadable (sudo -u keeps HOME)', async () => {
    if (process.getuid?.() !== 0) return;
    const tree = makeTree({ 'a.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
    chmodSync(tree.root, 0o755);
    try {
      const { exitCode, report } = await asUnprivileged(() => scan(tree.root, '.'), { keepHome: true });
      expect([exitCode, where(report)]).toEqual([1, ['a.env:1:19']]);
    } finally {
      tree.remove();
    }
  });

  it('reports a folder it cannot read instead of skipping it silently (outside git; tracked files inside git)', async () => {
    if (process.getuid?.() !== 0) return; // needs chown to hand the tree to another user
    const tree = makeTree({ 'open/a.txt': 'x\n', 'locked/k.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
    try {
      chownSync(tree.root, 65534, 65534);
      for (const dir of ['open', 'locked']) chownSync(path.join(tree.root, dir), 65534, 65534);
      chmodSync(path.join(tree.root, 'locked'), 0o000);
      const plain = await asUnprivileged(() => scan(tree.root, '.'));
      expect(plain.report.errors).toEqual([{ path: 'locked/', message: expect.stringMatching(/^EACCES: permission denied, (?:opendir|scandir) .* — its files were not scanned$/) }]);
      expect(plain.exitCode).toBe(2);

      chmodSync(path.join(tree.root, 'locked'), 0o755);
      execFileSync('chown', ['-R', '0:0', tree.root]); // git, run by root here, wants its own repository
      gitInit(tree.root);
      git(tree.root, 'add', '.');
      git(tree.root, 'commit', '-qm', 'init');
      execFileSync('chown', ['-R', '65534:65534', tree.root]);
      chmodSync(path.join(tree.root, 'locked'), 0o000);
      const inGit = await asUnprivileged(() => scan(tree.root, '.'));
      expect(inGit.report.errors).toEqual([{ path: 'locked/k.env', message: expect.stringMatching(/^EACCES: permission denied, lstat /) }]);
      expect(inGit.exitCode).toBe(2);
    } finally {
      chmodSync(path.join(tree.root, 'locked'), 0o755);
      tree.remove();
    }
  });

  it('a repository owned by another user is a one-line error naming the fixes, not a crash', async () => {
    const tree = makeTree({ 'a.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n` });
    chmodSync(tree.root, 0o755);
    gitInit(tree.root);
    try {
      if (process.getuid?.() !== 0) return; // only root can make a folder that another user owns here
      const outcome = await asUnprivileged(() => run(['.'], { cwd: tree.root, env: {} }));
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toBe(
        `ms-leakscan: ${tree.root}: git refuses to list this repository because another user owns it — run ms-leakscan as its owner, ` +
          `mark it safe with "git config --global --add safe.directory ${tree.root}", or scan every file with --no-ignore\n`,
      );
      const noIgnore = await asUnprivileged(() => run(['--no-ignore', '--format', 'json', '.'], { cwd: tree.root, env: {} }));
      expect(noIgnore.exitCode).toBe(1);
    } finally {
      tree.remove();
    }
  });

  it('a path that does not exist is a one-line usage error, exit 2', async () => {
    const tree = makeTree({ 'a.txt': 'x\n' });
    try {
      const outcome = await run(['missing-folder'], { cwd: tree.root, env: {} });
      expect(outcome).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'ms-leakscan: path not found: missing-folder — check the path, or run from the folder that holds it\n',
      });
    } finally {
      tree.remove();
    }
  });
});

/**
 * Runs `task` without root's power to read anything: as root, the effective uid becomes `nobody` for the call
 * (the kernel then enforces file modes); as any other user, modes apply anyway.
 */
async function asUnprivileged<T>(task: () => Promise<T>, { keepHome = false } = {}): Promise<T> {
  if (process.getuid?.() !== 0 || !process.seteuid) return task();
  // As that user would, git gets a home it may read (root's is closed to others) — unless the test wants
  // root's home kept, as `sudo -u` does.
  const home = process.env.HOME;
  if (!keepHome) process.env.HOME = os.tmpdir();
  process.seteuid(65534);
  try {
    return await task();
  } finally {
    process.seteuid(0);
    process.env.HOME = home;
  }
}
