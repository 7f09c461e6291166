import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { run } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// Issue 13: commit messages are a new source, so they keep the robust-engine properties on hostile input — random
// bytes, control characters, invalid UTF-8, workflow commands, CRs, long lines and key fragments never crash a
// scan, every finding is placed in its message, and no output prints a key whole.

const gen = new KeyGenerator('commit-messages-fuzz');
const planted = [gen.legacy(), gen.signed(), gen.accessKeyId()];

/** Bytes of a hostile message (no NUL: git stops a message there), biased toward what breaks parsers and outputs. */
const hostileMessage = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a.map((b) => b || 1))),
      fc.constantFrom('\n', '\r\n', '\r', '::error::x\n', '\u001b[31m', '\u202e', '%0A', 'sk-', 'LTAI', 'DASHSCOPE_API_KEY=', '\ufeff').map((s) => Buffer.from(s)),
      fc.constantFrom(...planted).map((k) => Buffer.from(`DASHSCOPE_API_KEY=${k}\n`)),
      fc.integer({ min: 1000, max: 70_000 }).map((n) => Buffer.alloc(n, 'a')),
    ),
    { maxLength: 24 },
  )
  .map((parts) => Buffer.concat(parts));

describe('commit messages on random input', () => {
  let repo: TempRepo;
  const commits = new Set<string>();

  beforeAll(() => {
    repo = new TempRepo();
    const file = path.join(repo.dir, '.git', 'fuzz-message');
    for (const message of fc.sample(hostileMessage, { numRuns: 40, seed: 13 })) {
      writeFileSync(file, message);
      repo.git('commit', '-q', '--allow-empty', '--allow-empty-message', '--no-verify', '--cleanup=verbatim', '-F', file);
      commits.add(repo.head());
    }
  });
  afterAll(() => repo.cleanup());

  it('history never crashes, and places every finding in a message of the scanned commits', async () => {
    const outcome = await run(['history', '--format', 'json'], { cwd: repo.dir });
    expect([0, 1]).toContain(outcome.exitCode);
    const report = JSON.parse(outcome.stdout) as { findings: Finding[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    // The planted keys are in some messages: the property is checked on findings that exist.
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f).toMatchObject({ path: '', commitMessage: true });
      expect(commits.has(f.commit?.sha ?? '')).toBe(true);
      expect(f.startLine).toBeGreaterThanOrEqual(1);
      expect(f.startColumn).toBeGreaterThanOrEqual(1);
      expect(f.endColumn).toBeGreaterThan(f.startColumn);
    }
  });

  it.each(['text', 'github', 'sarif'])('--format %s: no key whole, no raw control character from a message', async (format) => {
    const outcome = await run(['history', '--format', format], { cwd: repo.dir });
    expect([0, 1]).toContain(outcome.exitCode);
    const printed = outcome.stdout + outcome.stderr;
    expect(planted.filter((k) => printed.includes(k))).toEqual([]);
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(printed).not.toMatch(/^::error::x/m);
  });
});
