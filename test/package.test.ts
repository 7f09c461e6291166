import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeyGenerator } from './support/keys';

const ROOT = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const gen = new KeyGenerator('package');

/**
 * The package as a user gets it: `npm pack` of this checkout (dist/ is built by `npm test`; --ignore-scripts keeps
 * the pack from rebuilding it under tests that are running from it), installed into an empty folder with its
 * runtime dependencies only, from npm's cache when it has them.
 */
describe('the packed package', () => {
  let dir: string;
  let files: string[];
  let install: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'msl-pack-'));
    const listing = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = listing[0].files.map((f) => f.path);
    writeFileSync(path.join(dir, 'package.json'), '{"name":"consumer","private":true}\n');
    install = spawnSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${listing[0].filename}`], { cwd: dir, encoding: 'utf8' });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships what runs and nothing else', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/ms-leakscan.js', 'dist/src/index.js', 'dist/src/index.d.ts']));
    expect(files.filter((f) => f.startsWith('dist/src/action/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('ms-leakscan.schema.json'))).toEqual(['dist/schema/ms-leakscan.schema.json']);
    expect(files.filter((f) => /^(src|test|test-tools|fixtures|bench)\//.test(f))).toEqual([]);
  });

  it('installs with no install script and no test tool', () => {
    expect(install.status).toBe(0);
    expect(`${install.stderr}`).not.toMatch(/install-scripts/);
    const installed = readdirSync(path.join(dir, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['ms-leakscan', 'yargs', 'picomatch']));
    for (const heavy of ['@microsoft', '@github', 'jest', 'typescript', 'fast-glob', 'simple-git']) expect(installed).not.toContain(heavy);
  });

  it('scans from its bin, redacting the key', () => {
    const key = gen.legacy();
    writeFileSync(path.join(dir, 'app.env'), `DASHSCOPE_API_KEY=${key}\n`);
    const scan = spawnSync(path.join(dir, 'node_modules', '.bin', 'ms-leakscan'), ['app.env'], { cwd: dir, encoding: 'utf8' });
    expect(scan.status).toBe(1);
    expect(scan.stdout).toContain('alibaba-model-studio-api-key');
    expect(scan.stdout).not.toContain(key);
  });

  it('loads as a library without the CLI (no yargs)', () => {
    const probe = "const m = require('ms-leakscan'); const cli = Object.keys(require.cache).some((k) => k.includes('yargs')); console.log(typeof m.detectFragment, cli, typeof require('ms-leakscan/cli').run)";
    expect(execFileSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8' }).trim()).toBe('function false function');
  });
});
