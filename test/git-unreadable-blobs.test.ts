import { chmodSync, closeSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { run } from '../src/cli/run';
import type { Finding } from '../src/types';
import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

const gen = new KeyGenerator('git-unreadable');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

/** `path:line @ commit subject` of each finding, sorted. */
function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.path}:${f.startLine} @ ${f.commit?.message}`).sort();
}

function looseObject(r: TempRepo, oid: string): string {
  return path.join(r.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
}

/** Text that git cannot delta or compress much (a fixed pseudo-random sequence), so each blob is packed on its own. */
function noise(seed: number, lines: number): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let line = '';
    for (let j = 0; j < 8; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      line += x.toString(36);
    }
    out.push(`// ${line}`);
  }
  return `${out.join('\n')}\n`;
}

/** Overwrites bytes in the middle of a packed object's data, so that git fails inflating it. */
function corruptPacked(r: TempRepo, oid: string): void {
  const dir = path.join(r.dir, '.git', 'objects', 'pack');
  const pack = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.pack')) as string);
  const line = r.git('verify-pack', '-v', pack).split('\n').find((l) => l.startsWith(oid)) as string;
  const [, , , sizeInPack, offset] = line.split(/\s+/);
  const at = Number(offset) + Math.floor(Number(sizeInPack) / 2);
  chmodSync(pack, 0o644);
  const bytes = Buffer.alloc(16, 0xa5);
  const fd = openSync(pack, 'r+');
  writeSync(fd, bytes, 0, bytes.length, at);
  closeSync(fd);
}

describe('one unreadable blob does not throw a git scan away', () => {
  const made: TempRepo[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.cleanup()));
  const repo = (dir?: string, init?: boolean): TempRepo => {
    const r = new TempRepo(dir, { init });
    made.push(r);
    return r;
  };

  it.each([
    ['deleted', (file: string) => rmSync(file)],
    ['corrupt', (file: string) => {
      chmodSync(file, 0o644);
      writeFileSync(file, Buffer.from('this is not zlib data at all'));
    }],
  ])('history: a %s loose blob is an error against its path; every other key is reported; incomplete', async (_name, damage) => {
    const r = repo();
    const one = r.write('a.env', envLine()).write('b.env', 'B=1\n').commit('one');
    r.write('c.env', envLine()).commit('two');
    const blob = r.git('rev-parse', 'HEAD:a.env').trim();
    damage(looseObject(r, blob));
    const error = { path: 'a.env', message: `blob ${blob} is missing from the repository (a deleted or damaged object): not scanned` };
    const warning = expect.stringMatching(/^1 blob\(s\) are missing from .* and were not scanned, so this scan is incomplete — check it with git fsck/);
    // Incomplete (exit 2) even with findings: every readable key is reported, and the error.
    for (const argv of [['history'], ['history', '--branch', 'main']]) {
      const outcome = await runJson(argv, r.dir);
      expect(outcome.exitCode).toBe(2);
      expect(where(outcome.findings)).toEqual(['c.env:1 @ two']);
      expect(outcome.errors).toEqual([error]);
      expect(outcome.warnings).toEqual([warning]);
    }
    const clean = await runJson(['history', '--branch', one], r.dir);
    expect(clean).toMatchObject({ exitCode: 2, findings: [], errors: [error], warnings: [warning] });
    const text = await run(['history', '--branch', one], { cwd: r.dir });
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toContain(`error: a.env: blob ${blob} is missing`);
  });

  it.each([
    ['over all refs, on worker threads', ['history']],
    ['of one branch, blob by blob as the listing names them', ['history', '--branch', 'main']],
  ])('history %s: a corrupt packed blob is an error, the blobs after it are still scanned', async (_name, argv) => {
    const r = repo();
    // Over 1 MB of blobs, so that a scan of all refs reads them in two runs on worker threads (see history.ts), with
    // keys on both sides of the bad one.
    for (let n = 0; n < 12; n++) r.write(`src/f${n}.js`, noise(n + 1, 4000));
    r.write('src/f0.js', `${noise(1, 4000)}${envLine()}`).write('src/f11.js', `${noise(12, 4000)}${envLine()}`);
    r.write('src/f4.js', `${noise(5, 4000)}${envLine()}`).commit('files');
    r.git('repack', '-adq', '--window=0');
    const bad = r.git('rev-parse', 'HEAD:src/f3.js').trim();
    corruptPacked(r, bad);
    const outcome = await runJson(argv, r.dir);
    expect(outcome.exitCode).toBe(2);
    expect(where(outcome.findings)).toEqual(['src/f0.js:4001 @ files', 'src/f11.js:4001 @ files', 'src/f4.js:4001 @ files']);
    expect(outcome.errors).toEqual([
      { path: 'src/f3.js', message: expect.stringMatching(new RegExp(`^blob ${bad} could not be read \\(.*corrupt.*\\): not scanned — check the repository with git fsck$`)) },
    ]);
    expect(outcome.stats.files).toBe(11);
  });

  it('staged: a staged blob that is gone is an error against its path; the other staged keys are reported', async () => {
    const r = repo();
    r.write('README.md', '# x\n').commit('root');
    r.write('a.env', envLine()).write('b.env', envLine());
    r.git('add', '-A');
    const blob = r.git('rev-parse', ':a.env').trim();
    rmSync(looseObject(r, blob));
    const outcome = await runJson(['staged'], r.dir);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.findings.map((f) => `${f.path}:${f.startLine}`)).toEqual(['b.env:1']);
    expect(outcome.errors).toEqual([{ path: 'a.env', message: `blob ${blob} is missing from the repository (a deleted or damaged object): not scanned` }]);
  });

  it('staged: when the committed version is gone, the new one is scanned whole and the warning says so', async () => {
    const r = repo();
    r.write('a.env', `# one\n${envLine()}`).commit('root');
    const old = r.git('rev-parse', 'HEAD:a.env').trim();
    r.write('a.env', `# one\n${envLine()}${envLine()}`).write('b.env', envLine());
    r.git('add', '-A');
    rmSync(looseObject(r, old));
    const outcome = await runJson(['staged'], r.dir);
    expect(outcome.findings.map((f) => `${f.path}:${f.startLine}`)).toEqual(['a.env:2', 'a.env:3', 'b.env:1']);
    expect(outcome.warnings).toEqual([expect.stringMatching(/^1 file\(s\) could not be compared with their earlier version, which git cannot read \(a\.env\): keys on every line/)]);
    expect(outcome.exitCode).toBe(1);
  });

  /** A repository served over file:// with filters allowed, and a blob-less clone of it (`git clone --filter=blob:none`). */
  function bloblessClone(): { origin: TempRepo; clone: TempRepo } {
    const origin = repo();
    origin.git('config', 'uploadpack.allowFilter', 'true');
    origin.git('config', 'uploadpack.allowAnySHA1InWant', 'true');
    origin.write('old.env', envLine()).write('README.md', '# x\n').commit('old key');
    origin.write('old.env', '# removed\n').commit('remove old key');
    origin.write('new.env', envLine()).commit('new key');
    const clone = repo(`${origin.dir}-blobless`, false);
    origin.git('clone', '-q', '--filter=blob:none', `file://${origin.dir}`, clone.dir);
    return { origin, clone };
  }

  it('history in a blob-less partial clone: keys of the downloaded blobs reported, the missing blobs listed with the fetch command, incomplete (exit 2 when nothing else fails it), nothing fetched', async () => {
    const { clone } = bloblessClone();
    const missing = clone.git('rev-list', '--objects', '--missing=print', '--all').split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1));
    expect(missing).toHaveLength(1); // the first version of old.env: the checkout downloaded the rest
    const error = { path: 'old.env', message: `blob ${missing[0]} is not downloaded by this partial clone (promisor remote origin): not scanned` };
    const warning =
      `1 blob(s) of ${clone.dir} were not downloaded (partial clone) and were not scanned, so this scan is incomplete — fetch them with git -C ${clone.dir} fetch --no-tags origin ${missing[0]}, ` +
      'or rerun with --fetch-missing to let git fetch them (only for a repository you trust: fetching runs the transport its config names)';
    const outcome = await runJson(['history'], clone.dir);
    expect(outcome.exitCode).toBe(2);
    expect(where(outcome.findings)).toEqual(['new.env:1 @ new key']);
    expect(outcome.errors).toEqual([error]);
    expect(outcome.warnings).toEqual([warning]);
    // The first commit alone: its only key is in the missing blob, so nothing is found and the scan is incomplete.
    const first = await runJson(['history', '--branch', 'HEAD~2'], clone.dir);
    expect(first).toMatchObject({ exitCode: 2, findings: [], errors: [error], warnings: [warning] });
    // Still missing: ms-leakscan did not fetch.
    expect(clone.git('rev-list', '--objects', '--missing=print', '--all')).toContain(`?${missing[0]}`);
  });

  it('history lists the first ten missing blobs one by one and counts the rest in one more error', async () => {
    const origin = repo();
    origin.git('config', 'uploadpack.allowFilter', 'true');
    for (let n = 0; n < 13; n++) origin.write(`f${String(n).padStart(2, '0')}.txt`, `first ${n}\n`);
    origin.commit('first versions');
    for (let n = 0; n < 13; n++) origin.write(`f${String(n).padStart(2, '0')}.txt`, `second ${n}\n`);
    origin.commit('second versions');
    const clone = repo(`${origin.dir}-blobless`, false);
    origin.git('clone', '-q', '--filter=blob:none', `file://${origin.dir}`, clone.dir);
    const outcome = await runJson(['history'], clone.dir);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.errors.map((e) => e.path)).toEqual(['f00.txt', 'f01.txt', 'f02.txt', 'f03.txt', 'f04.txt', 'f05.txt', 'f06.txt', 'f07.txt', 'f08.txt', 'f09.txt', 'f10.txt']);
    expect(outcome.errors[10].message).toBe('and 3 more blob(s) like the above (f10.txt, f11.txt, f12.txt): not scanned');
    expect(outcome.warnings).toEqual([expect.stringMatching(/^13 blob\(s\) of .* were not downloaded \(partial clone\)/)]);
    expect(outcome.stats.files).toBe(13);
  });

  it('history --fetch-missing in a blob-less partial clone fetches the missing blobs and reports every key', async () => {
    const { clone } = bloblessClone();
    const outcome = await runJson(['history', '--fetch-missing'], clone.dir);
    expect(outcome.errors).toEqual([]);
    expect(where(outcome.findings)).toEqual(['new.env:1 @ new key', 'old.env:1 @ old key']);
    expect(outcome.exitCode).toBe(1);
  });

  it('history in a tree-less partial clone fails with one line naming --fetch-missing, and fetches nothing', async () => {
    const origin = repo();
    origin.git('config', 'uploadpack.allowFilter', 'true');
    origin.write('a/b.env', envLine()).commit('one');
    origin.write('a/c.env', envLine()).commit('two');
    const clone = repo(`${origin.dir}-treeless`, false);
    origin.git('clone', '-q', '--no-checkout', '--filter=tree:0', `file://${origin.dir}`, clone.dir);
    const outcome = await run(['history'], { cwd: clone.dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(/^ms-leakscan: git needs object [0-9a-f]{40}, which this partial clone has not downloaded, and ms-leakscan never lets git fetch on its own — rerun with --fetch-missing/);
    const fetched = await runJson(['history', '--fetch-missing'], clone.dir);
    expect(where(fetched.findings)).toEqual(['a/b.env:1 @ one', 'a/c.env:1 @ two']);
    expect(fetched.errors).toEqual([]);
  });
});
