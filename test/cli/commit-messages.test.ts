import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';
import { redactSecret } from '../../src/detect/redact';
import { MAX_MESSAGE_BYTES } from '../../src/sources/commit-messages';
import type { Finding } from '../../src/types';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { validateSarif } from '../support/sarif-validator';

// Issue 13: commit messages are a source of `history` and `diff` (and so of the Action). A key in a message is
// reported with the commit as its location (no path), at the message's line and column, redacted like any other.

const gen = new KeyGenerator('commit-messages');
const keys = { body: gen.legacy(), subject: gen.legacy(), side: gen.legacy(), file: gen.legacy(), sameSpot: gen.legacy() };
const all = Object.values(keys);
let r: TempRepo;
let out: string;
let base: string;
let bodyCommit: string;
let subjectCommit: string;
let sideCommit: string;
let sameSpotCommit: string;

beforeAll(() => {
  r = new TempRepo();
  out = mkdtempSync(path.join(os.tmpdir(), 'msl-messages-'));
  base = r.write('README.md', 'hello\n').commit('initial');
  r.write('a.txt', 'a\n');
  bodyCommit = r.commit(`Switch to Bailian\n\nThe new key:\n  DASHSCOPE_API_KEY=${keys.body}\n`);
  r.write('app.env', `DASHSCOPE_API_KEY=${keys.file}\n`);
  subjectCommit = r.commit(`DASHSCOPE_API_KEY=${keys.subject} for prod`);
  r.git('checkout', '-q', '-b', 'side', base);
  r.write('side.txt', 'side\n');
  sideCommit = r.commit(`side work\n\n  DASHSCOPE_API_KEY=${keys.side}\n`);
  r.git('checkout', '-q', 'main');
  // The same line and column as the body commit's key: findings that differ only by commit keep one order.
  r.write('c.txt', 'c\n');
  sameSpotCommit = r.commit(`Switch to Bailian\n\nThe new key:\n  DASHSCOPE_API_KEY=${keys.sameSpot}\n`);
  r.write('d.txt', 'd\n').commit('unrelated');
});
afterAll(() => {
  r.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function json(argv: string[], expectedExit = 1): Promise<{ findings: Finding[]; warnings: string[]; stats: { suppressed: number } }> {
  const outcome = await run([...argv, '--format', 'json', '--show-secret'], { cwd: r.dir });
  expect(outcome.stderr).toBe('');
  expect(outcome.exitCode).toBe(expectedExit);
  return JSON.parse(outcome.stdout);
}

const place = (f: Finding) => ({ path: f.path, commitMessage: f.commitMessage, sha: f.commit?.sha, subject: f.commit?.message, line: f.startLine, column: f.startColumn, endColumn: f.endColumn, secret: f.secret });
const inMessages = (findings: Finding[]) => findings.filter((f) => f.commitMessage).map(place);
const column = 'DASHSCOPE_API_KEY='.length + 1;

describe('commit messages in history and diff', () => {
  it('history reports each key in a message at its commit, every branch, with the message\'s line and column', async () => {
    const { findings } = await json(['history']);
    expect(inMessages(findings)).toEqual([
      { path: '', commitMessage: true, sha: subjectCommit, subject: `DASHSCOPE_API_KEY=${keys.subject} for prod`, line: 1, column, endColumn: column + keys.subject.length, secret: keys.subject },
      { path: '', commitMessage: true, sha: sideCommit, subject: 'side work', line: 3, column: column + 2, endColumn: column + 2 + keys.side.length, secret: keys.side },
      { path: '', commitMessage: true, sha: bodyCommit, subject: 'Switch to Bailian', line: 4, column: column + 2, endColumn: column + 2 + keys.body.length, secret: keys.body },
      { path: '', commitMessage: true, sha: sameSpotCommit, subject: 'Switch to Bailian', line: 4, column: column + 2, endColumn: column + 2 + keys.sameSpot.length, secret: keys.sameSpot },
    ]);
    // The file's key is still reported at its file.
    expect(findings.filter((f) => !f.commitMessage).map((f) => [f.path, f.secret])).toEqual([['app.env', keys.file]]);
    // The commit of a key in a message is told exactly as the commit of a key in a file (same commit here).
    expect(findings.find((f) => f.commitMessage && f.commit?.sha === subjectCommit)?.commit).toEqual(findings.find((f) => f.path === 'app.env')?.commit);
  });

  it('diff reports the keys in the messages of the commits of its range only', async () => {
    const { findings } = await json(['diff', '--base', base, '--head', 'main']);
    expect(inMessages(findings).map((f) => f.secret)).toEqual([keys.subject, keys.body, keys.sameSpot]);
    const later = await json(['diff', '--base', subjectCommit, '--head', 'main']);
    expect(inMessages(later.findings).map((f) => f.secret)).toEqual([keys.sameSpot]);
    const none = await json(['diff', '--base', sameSpotCommit, '--head', 'main'], 0);
    expect(none.findings).toEqual([]);
  });

  it('--no-commit-messages scans files only', async () => {
    for (const argv of [['history'], ['diff', '--base', base]]) {
      const { findings } = await json([...argv, '--no-commit-messages']);
      expect(findings.map((f) => f.secret)).toEqual([keys.file]);
    }
  });

  it('a baseline made from history suppresses the keys in messages too', async () => {
    const file = path.join(out, 'baseline.txt');
    const made = await run(['baseline', '--source', 'history', '--output', file], { cwd: r.dir });
    expect(made.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(all.length);
    const { findings, stats } = await json(['history', '--baseline', file], 0);
    expect(findings).toEqual([]);
    expect(stats.suppressed).toBe(all.length);
    const diff = await json(['diff', '--base', base, '--baseline', file], 0);
    expect(diff.findings).toEqual([]);
  });

  it('an inline allow comment in a message is honoured like one in a file', async () => {
    const repo = new TempRepo();
    try {
      repo.write('a.txt', 'a\n').commit(`rotate\n\nold key DASHSCOPE_API_KEY=${gen.legacy()} # ms-leakscan:allow revoked\n`);
      const outcome = await run(['history', '--format', 'json'], { cwd: repo.dir });
      expect(JSON.parse(outcome.stdout)).toMatchObject({ findings: [], stats: { suppressed: 1 } });
    } finally {
      repo.cleanup();
    }
  });

  it.each([1, 2, 3, 4])('history --shard K/%i: merged, byte-identical findings to one run (messages once)', async (count) => {
    const whole = await json(['history']);
    const files: string[] = [];
    for (let k = 1; k <= count; k++) {
      const file = path.join(out, `shard-${k}-of-${count}.json`);
      const outcome = await run(['history', '--shard', `${k}/${count}`, '--format', 'json', '--show-secret', '--output', file], { cwd: r.dir });
      expect([0, 1]).toContain(outcome.exitCode);
      const report = JSON.parse(readFileSync(file, 'utf8')) as { findings: Finding[] };
      // The first shard alone scans the messages.
      expect(report.findings.filter((f) => f.commitMessage)).toHaveLength(k === 1 ? 4 : 0);
      files.push(file);
    }
    const merged = await run(['merge', ...files, '--show-secret'], { cwd: r.dir });
    expect(merged.exitCode).toBe(1);
    expect(JSON.stringify(JSON.parse(merged.stdout).findings)).toBe(JSON.stringify(whole.findings));
  });
});

describe('commit messages in each format', () => {
  it('text groups a message\'s findings under the commit, never a file, and shows no key', async () => {
    const outcome = await run(['history'], { cwd: r.dir });
    expect(outcome.stdout).toContain(`message of commit ${bodyCommit.slice(0, 12)}\n`);
    expect(outcome.stdout).not.toMatch(/^ @ /m);
    expect(all.filter((k) => (outcome.stdout + outcome.stderr).includes(k))).toEqual([]);
  });

  it('github annotations of a message name the commit and carry no file', async () => {
    const outcome = await run(['history', '--format', 'github'], { cwd: r.dir });
    const annotations = outcome.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
    const messages = annotations.filter((l) => l.includes('It is in the message of commit'));
    expect(messages).toHaveLength(4);
    for (const a of messages) expect(a).not.toMatch(/file=/);
    expect(messages.some((a) => a.includes(`message of commit ${bodyCommit.slice(0, 12)} (line 4)`))).toBe(true);
    expect(all.filter((k) => (outcome.stdout + outcome.stderr).includes(k))).toEqual([]);
  });

  it('SARIF places the key at a path under .git/ naming the commit (GitHub needs a physical location), names the commit as a logical location, and passes the validator with GitHub\'s rules', async () => {
    const file = path.join(out, 'messages.sarif');
    const outcome = await run(['history', '--format', 'sarif', '--output', file], { cwd: r.dir });
    expect(outcome.exitCode).toBe(1);
    const results = JSON.parse(readFileSync(file, 'utf8')).runs[0].results as { locations: unknown; properties: Record<string, unknown> }[];
    const body = results.find((x) => (x.properties.commit as { sha: string }).sha === bodyCommit && x.properties.commitMessage);
    expect(body?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: `.git/commit-message/${bodyCommit}` },
          region: { startLine: 4, startColumn: column + 2, endLine: 4, endColumn: column + 2 + keys.body.length, snippet: { text: redactSecret(keys.body) } },
        },
        logicalLocations: [{ name: bodyCommit, fullyQualifiedName: `commit ${bodyCommit} message`, kind: 'commit-message' }],
      },
    ]);
    // Every result has a physical location with a relative URI: without one, GitHub rejects the whole upload.
    for (const x of results) expect((x.locations as { physicalLocation: { artifactLocation: { uri: string } } }[])[0].physicalLocation.artifactLocation.uri).toMatch(/^[^:]+$/);
    expect(results.filter((x) => x.properties.commitMessage)).toHaveLength(4);
    const verdict = validateSarif(file);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
  });
});

/** An empty commit whose message is the file `.git/<name>`, byte for byte. */
function commitVerbatim(repo: TempRepo, name: string): string {
  repo.git('commit', '-q', '--allow-empty', '--no-verify', '--cleanup=verbatim', '-F', path.join(repo.dir, '.git', name));
  return repo.head();
}

describe('merging reports with keys in messages', () => {
  it('SARIF merge keeps a key written twice in one message as two results', async () => {
    const repo = new TempRepo();
    try {
      const twice = gen.legacy();
      const sha = repo.write('a.txt', 'a\n').commit(`set keys\n\nDASHSCOPE_API_KEY=${twice}\nagain: DASHSCOPE_API_KEY=${twice}\n`);
      const files = ['one.sarif', 'two.sarif'].map((name) => path.join(out, name));
      for (const file of files) expect((await run(['history', '--format', 'sarif', '--output', file], { cwd: repo.dir })).exitCode).toBe(1);
      const merged = await run(['merge', ...files], { cwd: repo.dir });
      expect(merged.exitCode).toBe(1);
      const results = JSON.parse(merged.stdout).runs[0].results as { properties: { commit: { sha: string } }; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      expect(results.map((x) => [x.properties.commit.sha, x.locations[0].physicalLocation.region.startLine])).toEqual([
        [sha, 3],
        [sha, 4],
      ]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('hostile messages', () => {
  let hostile: TempRepo;
  const hidden = gen.legacy();
  const early = gen.legacy();
  const late = gen.legacy();
  let hostileCommit: string;
  let hugeCommit: string;

  beforeAll(() => {
    hostile = new TempRepo();
    // Control characters, an ANSI escape, a workflow command on a line of its own, invalid UTF-8 before the key.
    const message = Buffer.concat([
      Buffer.from('fix\u0007 \u001b[31mred\u001b[0m\n\n::error::forged annotation\n'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x20]),
      Buffer.from(`DASHSCOPE_API_KEY=${hidden}\n\u202eevil\r\n`),
    ]);
    writeFileSync(path.join(hostile.dir, '.git', 'msg'), message);
    hostileCommit = commitVerbatim(hostile, 'msg');
    // Longer than what is scanned of a message: the key past the cap is missed, and the warning says so.
    const filler = `${'x'.repeat(99)}\n`.repeat(Math.ceil(MAX_MESSAGE_BYTES / 100));
    writeFileSync(path.join(hostile.dir, '.git', 'huge'), `huge\n\nDASHSCOPE_API_KEY=${early}\n${filler}DASHSCOPE_API_KEY=${late}\n`);
    hugeCommit = commitVerbatim(hostile, 'huge');
  });
  afterAll(() => hostile.cleanup());

  it('finds the key after invalid UTF-8, scans a huge message up to its cap and says so', async () => {
    const outcome = await run(['history', '--format', 'json', '--show-secret'], { cwd: hostile.dir });
    const report = JSON.parse(outcome.stdout) as { findings: Finding[]; warnings: string[] };
    expect(report.findings.map((f) => [f.commit?.sha, f.startLine, f.secret])).toEqual([
      [hugeCommit, 3, early],
      [hostileCommit, 4, hidden],
    ]);
    expect(report.warnings).toEqual([`1 commit message(s) longer than 8 MB scanned up to that size only (${hugeCommit.slice(0, 12)}): a key past that point can be missed`]);
  });

  it.each(['text', 'github'])('--format %s: the message can start no line of its own, send no escape, and shows no key', async (format) => {
    const outcome = await run(['history', '--format', format], { cwd: hostile.dir });
    const printed = outcome.stdout + outcome.stderr;
    expect(printed).not.toMatch(/^::error::forged/m);
    expect(printed).not.toMatch(/[\u0007\u001b\u202e\r]/);
    expect([hidden, early, late].filter((k) => printed.includes(k))).toEqual([]);
    if (format === 'github') {
      const annotations = outcome.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations.filter((l) => l.includes('It is in the message of commit'))).toHaveLength(2);
    }
  });
});
