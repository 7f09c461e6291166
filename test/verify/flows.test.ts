import { run, type RunEnvironment } from '../../src/cli/run';
import { scanWorkingTree, SecretVault, verifyFindings } from '../../src/index';
import { MAX_KEYS } from '../../src/verify/verify';
import { workerEntry } from '../../src/engine/worker-pool';
import type { Finding } from '../../src/types';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';
import { FakeModelStudio, LIVE, makeCertificate } from '../support/verify-server';

/** --verify through every way findings are made: worker threads, git history, diff, staged. */
const gen = new KeyGenerator('verify-flows');
const live = gen.legacy();
const dead = gen.signed();
let server: FakeModelStudio;
beforeAll(async () => {
  server = new FakeModelStudio(makeCertificate(), new Map([[live, { 'cn-beijing': LIVE }]]));
  await server.start();
});
afterAll(() => server.stop());

async function findings(argv: string[], cwd: string): Promise<Finding[]> {
  const environment: RunEnvironment = { cwd, env: {}, verifyTransport: server.transport(5000) };
  const outcome = await run([...argv, '--verify', '--format', 'json'], environment);
  expect(outcome.stderr).toBe('');
  return (JSON.parse(outcome.stdout) as { findings: Finding[] }).findings;
}

const statuses = (found: Finding[]) => found.map((f) => `${f.path}: ${f.verification?.status}`).sort();

const threadsReady = workerEntry() !== undefined;
(threadsReady ? it : it.skip)('worker threads hand the clear secret to the verifier, not to the report (needs npm run build)', async () => {
  const files: Record<string, string> = { 'live.env': `DASHSCOPE_API_KEY=${live}\n`, 'dead.env': `DASHSCOPE_API_KEY=${dead}\n` };
  for (let i = 0; i < 40; i++) files[`filler/${i}.txt`] = 'nothing here\n';
  const tree = makeTree(files, 'verify-threads');
  try {
    const found = await findings(['.', '--threads', '2'], tree.root);
    expect(statuses(found)).toEqual(['dead.env: invalid', 'live.env: live']);
    expect(JSON.stringify(found)).not.toContain(live);
  } finally {
    tree.remove();
  }
});

it('the programmatic API: a scan keeps secrets in a vault, verifyFindings checks them, findings stay redacted', async () => {
  const tree = makeTree({ 'live.env': `DASHSCOPE_API_KEY=${live}\n` }, 'verify-api');
  try {
    const vault = new SecretVault();
    const result = await scanWorkingTree({ cwd: tree.root, keepSecret: vault.keep });
    expect(result.findings.map((f) => f.secret)).toEqual([`${live.slice(0, 5)}\u2026${live.slice(-2)}`]);
    const verified = await verifyFindings(result.findings, vault.secretOf, { env: {}, transport: server.transport(5000) });
    expect(verified.map((f) => f.verification)).toEqual([{ status: 'live', region: 'cn-beijing' }]);
  } finally {
    tree.remove();
  }
});

it(`checks at most ${MAX_KEYS} distinct keys per scan, in report order; the rest are inconclusive`, async () => {
  const many = Array.from({ length: MAX_KEYS + 2 }, () => gen.legacy());
  for (const key of many) server.answers.set(key, { 'cn-beijing': LIVE }); // one request each
  const tree = makeTree(Object.fromEntries(many.map((key, i) => [`k${String(i).padStart(3, '0')}.env`, `DASHSCOPE_API_KEY=${key}\n`])), 'verify-many');
  try {
    server.seen.length = 0;
    const found = await findings(['.'], tree.root);
    expect(found).toHaveLength(MAX_KEYS + 2);
    expect(found.slice(0, MAX_KEYS).every((f) => f.verification?.status === 'live')).toBe(true);
    expect(found.slice(MAX_KEYS).map((f) => f.verification)).toEqual([
      { status: 'unknown', reason: `not checked: more than ${MAX_KEYS} distinct keys in one scan` },
      { status: 'unknown', reason: `not checked: more than ${MAX_KEYS} distinct keys in one scan` },
    ]);
    expect(new Set(server.seen.map((r) => r.key)).size).toBe(MAX_KEYS);
  } finally {
    tree.remove();
  }
});

describe('git sources', () => {
  let repo: TempRepo;
  let base: string;
  beforeAll(() => {
    repo = new TempRepo();
    repo.write('README.md', 'hello\n');
    base = repo.commit('start');
    repo.write('live.env', `DASHSCOPE_API_KEY=${live}\n`).commit('add a key');
    repo.write('dead.env', `DASHSCOPE_API_KEY=${dead}\n`);
    repo.git('add', 'dead.env');
  });
  afterAll(() => repo.cleanup());

  it('history', async () => {
    expect(statuses(await findings(['history'], repo.dir))).toEqual(['live.env: live']);
  });

  it('diff', async () => {
    expect(statuses(await findings(['diff', '--base', base, '--head', 'HEAD'], repo.dir))).toEqual(['live.env: live']);
  });

  it('staged', async () => {
    expect(statuses(await findings(['staged'], repo.dir))).toEqual(['dead.env: invalid']);
  });

  it('baseline does not take --verify', async () => {
    const outcome = await run(['baseline', '--verify'], { cwd: repo.dir, env: {}, verifyTransport: server.transport() });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/unknown option --verify/);
  });
});
