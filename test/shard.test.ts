import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/cli/run';
import { inShard } from '../src/sources/history-shard';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { testToolPath } from './support/tools';

const gen = new KeyGenerator('history-shard');

/**
 * Every way attribution needs knowledge across blobs: a key renamed (same blob), moved with an edit in one commit
 * (a different blob, which for 2 shards sits in the other shard than the deleted one), the same key in several
 * files and commits, a key removed and put back, keys on a merged side branch, on an unmerged one, and one
 * written by a merge commit itself.
 */
function world(): TempRepo {
  const r = new TempRepo();
  const [a, b, c, d, e, f] = [gen.legacy(), gen.legacy(), gen.signed(), gen.legacy(), gen.legacy(), gen.planHex()];
  const id = gen.accessKeyId();
  const secret = gen.accessKeySecret();
  r.write('README.md', '# demo\n').commit('root');
  r.write('config/app.env', `DASHSCOPE_API_KEY=${a}\n`).commit('add key a');
  r.write('config/other.env', `# copy\nDASHSCOPE_API_KEY=${a}\n`).write('src/client.py', `key = "${c}"\n`).commit('a again, c');
  r.git('mv', 'config/app.env', 'config/renamed.env');
  r.commit('rename: same blob, new path');
  // A move with an edit: the new blob differs; pick its filler so that, for two shards, it is not in the deleted blob's shard.
  r.write('deploy/old.env', `DASHSCOPE_API_KEY=${b}\n`).commit('add key b');
  const oldShard = inShard(r.git('rev-parse', 'HEAD:deploy/old.env').trim(), { index: 1, count: 2 });
  let filler = 0;
  const moved = (): string => `# moved ${filler}\nDASHSCOPE_API_KEY=${b}\n`;
  while (inShard(hashOf(r, moved()), { index: 1, count: 2 }) === oldShard) filler++;
  r.remove('deploy/old.env').write('deploy/new/place.env', moved()).commit('move key b with an edit');
  r.write('src/client.py', 'key = os.environ["KEY"]\n').commit('remove c');
  r.write('src/client.py', `key = "${c}"  # back\n`).commit('put c back');
  r.write('cloud.ini', `access_key_id = ${id}\naccess_key_secret = ${secret}\n`).commit('AccessKey pair');
  r.git('checkout', '-q', '-b', 'feature', 'HEAD~2');
  r.write('feature/x.yaml', `dashscope_api_key: ${d}\n`).commit('side branch key d');
  r.write('feature/y.env', `DASHSCOPE_API_KEY=${a}\n`).commit('side branch: a once more');
  r.git('checkout', '-q', 'main');
  r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
  r.write('merge-only.env', `ALIBABA_CODING_PLAN_API_KEY=${f}\n`).commit('merge feature, adding f in the merge');
  r.git('checkout', '-q', '-b', 'experiment', 'HEAD~3');
  r.write('exp.env', `DASHSCOPE_API_KEY=${e}\n`).commit('unmerged key e');
  r.git('checkout', '-q', 'main');
  r.write('config/renamed.env', '# gone\n').commit('remove a from the renamed file');
  return r;
}

function hashOf(r: TempRepo, text: string): string {
  return execFileSync('git', ['hash-object', '--stdin'], { cwd: r.dir, input: text, encoding: 'utf8' }).trim();
}

let repo: TempRepo;
let out: string;
let whole: { findings: unknown[] };

beforeAll(async () => {
  repo = world();
  out = mkdtempSync(path.join(os.tmpdir(), 'msl-shard-'));
  const outcome = await run(['history', '--format', 'json', '--output', path.join(out, 'whole.json')], { cwd: repo.dir });
  expect(outcome.exitCode).toBe(1);
  whole = JSON.parse(readFileSync(path.join(out, 'whole.json'), 'utf8'));
});
afterAll(() => {
  repo.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function shards(count: number, prefix: string): Promise<string[]> {
  const files: string[] = [];
  for (let k = 1; k <= count; k++) {
    const file = path.join(out, `${prefix}-${k}-of-${count}.json`);
    const outcome = await run(['history', '--shard', `${k}/${count}`, '--format', 'json', '--output', file], { cwd: repo.dir });
    expect([0, 1]).toContain(outcome.exitCode);
    files.push(file);
  }
  return files;
}

describe('history --shard K/N, merged', () => {
  it('the world holds what the test is about: moves, copies, branches, a key written by a merge', () => {
    const where = (whole.findings as { path: string; commit: { message: string } }[]).map((f) => `${f.path} @ ${f.commit.message}`).sort();
    expect(where).toEqual([
      'cloud.ini @ AccessKey pair',
      'cloud.ini @ AccessKey pair',
      'config/app.env @ add key a',
      'config/other.env @ a again, c',
      'deploy/old.env @ add key b',
      'exp.env @ unmerged key e',
      'feature/x.yaml @ side branch key d',
      'feature/y.env @ side branch: a once more',
      'merge-only.env @ merge feature, adding f in the merge',
      'src/client.py @ a again, c',
    ]);
  });

  it.each([1, 2, 3, 4])('%i shard(s) merged give byte-identical findings to one unsharded run', async (count) => {
    const files = await shards(count, 'run');
    const merged = await run(['merge', ...files], { cwd: repo.dir });
    expect(merged.stderr).toBe('');
    expect(merged.exitCode).toBe(1);
    expect(JSON.stringify(JSON.parse(merged.stdout).findings)).toBe(JSON.stringify(whole.findings));
  });

  it('a narrowed scan (--branch main: blobs read as the listing names them) merges as exactly', async () => {
    const one = await run(['history', '--branch', 'main', '--format', 'json'], { cwd: repo.dir });
    const files: string[] = [];
    for (const k of [1, 2, 3]) {
      files.push(path.join(out, `branch-${k}.json`));
      await run(['history', '--branch', 'main', '--shard', `${k}/3`, '--format', 'json', '--output', files[files.length - 1]], { cwd: repo.dir });
    }
    const merged = await run(['merge', ...files], { cwd: repo.dir });
    expect(JSON.parse(one.stdout).findings.length).toBeGreaterThan(3);
    expect(JSON.stringify(JSON.parse(merged.stdout).findings)).toBe(JSON.stringify(JSON.parse(one.stdout).findings));
  });

  it('a shard alone reports raw findings: the moved key again, at its new path', async () => {
    const [file] = await shards(1, 'raw');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const paths = raw.findings.map((f: { path: string }) => f.path);
    expect(paths).toContain('deploy/new/place.env');
    expect(paths).toContain('config/renamed.env');
    expect(raw.shard).toMatchObject({ index: 1, count: 1 });
  });

  it('refuses a missing shard, a shard passed twice, and shards of different histories', async () => {
    const files = await shards(3, 'bad');
    const missing = await run(['merge', files[0], files[2]], { cwd: repo.dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^ms-leakscan: shard\(s\) 2\/3 of .* missing — pass every shard's report/);
    const twice = await run(['merge', files[0], files[0], files[1]], { cwd: repo.dir });
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toMatch(/are both shard 1\/3 — pass each shard once/);
    repo.write('later.txt', 'x\n').commit('a commit between the shard runs');
    const later = await shards(3, 'later');
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    const mixed = await run(['merge', files[0], files[1], later[2]], { cwd: repo.dir });
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it.each([['0/2'], ['3/2'], ['1/0'], ['a/b'], ['1/2/3']])('--shard %s is a usage error', async (spec) => {
    const outcome = await run(['history', '--shard', spec, '--format', 'json'], { cwd: repo.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/--shard .* is not K\/N/);
  });

  it('--shard needs --format json (the partial report only merge completes)', async () => {
    const outcome = await run(['history', '--shard', '1/2'], { cwd: repo.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/add --format json/);
  });
});

describe("the README's organisation workflow (repository × shard, then merge)", () => {
  it('passes actionlint and runs --shard K/N for every K it merges', async () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const workflow = /```yaml\n(# \.github\/workflows\/org-history-scan\.yml[\s\S]*?)```/.exec(readme)?.[1];
    expect(workflow).toBeDefined();
    // Loaded from test-tools/ (not a dependency of the package), as test/workflows.test.ts does.
    const actionlint = require(testToolPath('actionlint', 'node.cjs')) as { createLinter(): Promise<(input: string, path: string) => { message: string }[]> };
    const lint = await actionlint.createLinter();
    expect(lint(workflow as string, 'org-history-scan.yml').map((p) => p.message)).toEqual([]);
    expect(workflow).toMatch(/shard: \[1, 2, 3, 4\]/);
    expect(workflow).toMatch(/history --shard \$\{\{ matrix\.shard \}\}\/4 --format json/);
    expect(workflow).toMatch(/merge shards\/\*\/shard\.json/);
  });
});
