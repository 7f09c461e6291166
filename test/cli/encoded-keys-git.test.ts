import zlib from 'node:zlib';
import { scanText } from '../../src/api';
import { run } from '../../src/cli/run';
import { workerStats } from '../../src/engine/worker-pool';
import type { Finding } from '../../src/types';
import { makeZip } from '../archive/build-archives';
import { tempRepos } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { runJson } from '../support/run-json';
import { makeTree } from '../support/temp-tree';

// Issue 13 in the one pipeline: git blobs (history, staged, diff), standard input and worker threads go through
// the same decode stage and binary-content code as working-tree files, so keys in zip members, binaries and
// encoded text are found there too, at the same places.

const gen = new KeyGenerator('encoded-keys-git');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const where = (f: Finding): string => `${f.path}:${f.startLine}:${f.startColumn}${f.decoded ? ` ${f.decoded}` : ''}${f.byteOffset !== undefined ? ` @${f.byteOffset}` : ''}`;
const elf = (at: number, text: Buffer): Buffer => {
  const bytes = Buffer.alloc(at + text.length + 64);
  bytes.write('\u007fELF', 0, 'latin1');
  text.copy(bytes, at);
  return bytes;
};

const repo = tempRepos();

describe('archives, binaries and encoded keys in git blobs', () => {
  const key = gen.legacy();
  const env = `# prod\nDASHSCOPE_API_KEY=${key}\n`;

  it('history: a key in a zip member, a binary and a base64 value, attributed to the commit that added them', async () => {
    const r = repo();
    r.write('README.md', '# app\n').commit('base');
    r.write('dist/app.zip', makeZip([{ name: 'config/.env', data: env }]));
    r.write('bin/tool', elf(500, Buffer.from(`DASHSCOPE_API_KEY=${key}`)));
    r.write('k8s/secret.yaml', `data:\n  DASHSCOPE_API_KEY: ${b64(key)}\n`);
    const added = r.commit('add build output');
    r.remove('dist/app.zip').remove('bin/tool').remove('k8s/secret.yaml').commit('remove them');
    const out = await runJson(['history'], r.dir);
    expect(out.errors).toEqual([]);
    expect(out.findings.map(where)).toEqual(['bin/tool:1:1 @518', 'dist/app.zip!config/.env:2:19', 'k8s/secret.yaml:2:22 base64']);
    expect(out.findings.map((f) => f.commit?.sha)).toEqual([added, added, added]);
    expect(out.exitCode).toBe(1);
  });

  it('history over 1 MiB of blobs (read by two cat-file runs on worker threads where there are two cores): every member found', async () => {
    const r = repo();
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      r.write(`dist/app${i}.zip`, makeZip([{ name: `c${i}/.env`, data: env }, { name: 'pad.bin', data: Buffer.alloc(300_000, i), stored: true }]));
      r.write(`notes${i}.txt`, `token: ${b64(`DASHSCOPE_API_KEY=${gen.legacy()}`)}\n`);
      r.commit(`c${i}`);
      expected.push(`dist/app${i}.zip!c${i}/.env:2:19`, `notes${i}.txt:1:${8 + Math.floor((18 * 8) / 6)} base64`);
    }
    const out = await runJson(['history'], r.dir);
    expect(out.errors).toEqual([]);
    expect(out.findings.map(where).sort()).toEqual(expected.sort());
  });

  it('history: a zip bomb blob is an error naming the member and the cap; the scan goes on (exit 2)', async () => {
    const r = repo();
    r.write('bomb.zip', makeZip([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024) }]));
    r.write('ok.env', env);
    r.commit('add');
    const out = await runJson(['history'], r.dir);
    expect(out.findings.map(where)).toEqual(['ok.env:2:19']);
    expect(out.errors).toEqual([{ path: 'bomb.zip!zeros', message: expect.stringMatching(/compression ratio/) }]);
    expect(out.exitCode).toBe(2);
  });

  it('staged: a zip with a key in a member is reported at the member path', async () => {
    const r = repo();
    r.write('README.md', '# app\n').commit('base');
    r.write('dist/app.zip', makeZip([{ name: 'config/.env', data: env }])).git('add', 'dist/app.zip');
    const out = await runJson(['staged'], r.dir);
    expect(out.errors).toEqual([]);
    expect(out.findings.map(where)).toEqual(['dist/app.zip!config/.env:2:19']);
    expect(out.exitCode).toBe(1);
  });

  it('staged and diff: a key already in the earlier version of an archive or binary is not added by changing it', async () => {
    const r = repo();
    const other = gen.legacy();
    r.write('dist/app.zip', makeZip([{ name: 'config/.env', data: env }, { name: 'README', data: 'v1\n' }]));
    r.write('bin/tool', elf(500, Buffer.from(`DASHSCOPE_API_KEY=${key}`)));
    const base = r.commit('build with a key');
    // Another member changes, and the binary's other bytes: the key was there before, so the commit does not add it.
    r.write('dist/app.zip', makeZip([{ name: 'README', data: 'v2\n' }, { name: 'config/.env', data: env }]));
    r.write('bin/tool', Buffer.concat([elf(500, Buffer.from(`DASHSCOPE_API_KEY=${key}`)), Buffer.from('new build id')]));
    r.git('add', '-A');
    const unchanged = await runJson(['staged'], r.dir);
    expect([unchanged.exitCode, unchanged.findings.map(where), unchanged.errors]).toEqual([0, [], []]);
    // --all-lines keeps every key of the new versions, as it does for text.
    expect((await runJson(['staged', '--all-lines'], r.dir)).findings.map(where)).toEqual(['bin/tool:1:1 @518', 'dist/app.zip!config/.env:2:19']);
    // A key the change puts in a new member is added, and only that one is reported, by staged and by diff.
    r.write('dist/app.zip', makeZip([{ name: 'README', data: 'v2\n' }, { name: 'config/.env', data: env }, { name: 'new.env', data: `KEY=${other}\n` }]));
    r.git('add', '-A');
    const staged = await runJson(['staged', '--show-secret'], r.dir);
    expect([staged.exitCode, staged.findings.map(where), staged.findings.map((f) => f.secret)]).toEqual([1, ['dist/app.zip!new.env:1:5'], [other]]);
    const head = r.commit('rebuild');
    const diff = await runJson(['diff', '--base', base, '--head', head, '--show-secret'], r.dir);
    expect([diff.exitCode, diff.findings.map(where), diff.findings.map((f) => f.secret)]).toEqual([1, ['dist/app.zip!new.env:1:5'], [other]]);
  });

  it('diff: a gzip added by the change is opened', async () => {
    const r = repo();
    const base = r.write('README.md', '# app\n').commit('base');
    r.write('logs/app.log.gz', zlib.gzipSync(env));
    const head = r.commit('add log');
    const out = await runJson(['diff', '--base', base, '--head', head], r.dir);
    expect(out.exitCode).toBe(1);
    expect(out.errors).toEqual([]);
    expect(out.findings.map(where)).toEqual(['logs/app.log.gz!app.log:2:19']);
  });

  it('history: a base64-encoded key in a commit message is found decoded, at the message\'s line and column', async () => {
    const r = repo();
    r.write('README.md', '# app\n');
    const sha = r.commit(`deploy\n\nauth: ${b64(`DASHSCOPE_API_KEY=${key}`)}`);
    const out = await runJson(['history'], r.dir);
    expect(out.findings.map((f) => [f.commitMessage, f.commit?.sha, where(f)])).toEqual([[true, sha, `:3:${7 + Math.floor((18 * 8) / 6)} base64`]]);
  });

  it('--no-archives, --no-binary-strings and --no-decode reach git scans too', async () => {
    const r = repo();
    r.write('a.zip', makeZip([{ name: '.env', data: env }]));
    r.write('bin/tool', elf(100, Buffer.from(`DASHSCOPE_API_KEY=${key}`)));
    r.write('s.yaml', `DASHSCOPE_API_KEY: ${b64(key)}\n`);
    r.commit('add');
    const paths = async (...flags: string[]): Promise<string[]> => (await runJson(['history', ...flags], r.dir)).findings.map((f) => f.path);
    expect(await paths()).toEqual(['a.zip!.env', 'bin/tool', 's.yaml']);
    expect(await paths('--no-archives')).toEqual(['bin/tool', 's.yaml']);
    expect(await paths('--no-binary-strings')).toEqual(['a.zip!.env', 's.yaml']);
    expect(await paths('--no-decode')).toEqual(['a.zip!.env', 'bin/tool']);
  });
});

describe('standard input and worker threads', () => {
  const key = gen.legacy();

  it('standard input: a zip piped in is opened, its member named after --stdin-filename', async () => {
    const zip = makeZip([{ name: 'config/.env', data: `DASHSCOPE_API_KEY=${key}\n` }]);
    const out = await run(['-', '--stdin-filename', 'upload.zip', '--format', 'json'], { cwd: process.cwd(), stdin: [zip.subarray(0, 10), zip.subarray(10)] });
    const doc = JSON.parse(out.stdout) as { findings: Finding[]; errors: unknown[] };
    expect(doc.errors).toEqual([]);
    expect(doc.findings.map(where)).toEqual(['upload.zip!config/.env:1:19']);
  });

  it('working tree: the same findings with 1 and 4 threads (files scanned on workers)', async () => {
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 40; i++) {
      files[`z/a${i}.zip`] = makeZip([{ name: '.env', data: `DASHSCOPE_API_KEY=${gen.legacy()}\n` }]);
      files[`b/t${i}`] = elf(64 + i, Buffer.from(`DASHSCOPE_API_KEY=${gen.legacy()}`));
      files[`e/s${i}.yaml`] = `DASHSCOPE_API_KEY: ${b64(gen.legacy())}\n`;
    }
    files['z/bomb.zip'] = makeZip([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024) }]);
    const tree = makeTree(files, 'encoded-threads');
    try {
      const scan = async (threads: string): Promise<{ findings: Finding[]; errors: unknown[]; warnings: string[] }> => {
        const { findings, errors, warnings } = JSON.parse((await run(['--format', 'json', '--threads', threads, '.'], { cwd: tree.root, env: {} })).stdout);
        return { findings, errors, warnings };
      };
      const one = await scan('1');
      expect(one.findings.length).toBe(120);
      expect(one.errors).toEqual([{ path: 'z/bomb.zip!zeros', message: expect.stringMatching(/compression ratio/) }]);
      const started = workerStats.started;
      expect(await scan('4')).toEqual(one);
      // The workers ran from dist/ (npm run build): without it the scan runs in this thread and this test proves nothing.
      expect(workerStats.started).toBeGreaterThan(started);
    } finally {
      tree.remove();
    }
  });
});

describe('the library', () => {
  it('scanText opens an archive and decodes, and `stages` turns each off as the flags do', async () => {
    const key = gen.legacy();
    const zip = makeZip([{ name: 'config/.env', data: `DASHSCOPE_API_KEY=${key}\n` }, { name: 's.yaml', data: `DASHSCOPE_API_KEY: ${b64(key)}\n` }]);
    const places = async (stages?: { decode?: boolean; archives?: boolean }): Promise<string[]> =>
      (await scanText(zip, { path: 'dist/app.zip', ...(stages ? { stages } : {}) })).findings.map(where);
    expect(await places()).toEqual(['dist/app.zip!config/.env:1:19', 'dist/app.zip!s.yaml:1:20 base64']);
    expect(await places({ decode: false })).toEqual(['dist/app.zip!config/.env:1:19']);
    expect(await places({ archives: false })).toEqual([]);
  });
});
