import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, type RunEnvironment } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { KeyGenerator } from '../support/keys';
import { validateSarif } from '../support/sarif-validator';
import { makeTree } from '../support/temp-tree';
import { FakeModelStudio, INVALID, LIVE, makeCertificate, type Answer } from '../support/verify-server';

const gen = new KeyGenerator('verify');
const certificate = makeCertificate();

/** The keys of the tree, each with what the fake regions answer for it. */
const keys = {
  live: gen.legacy(),
  dead: gen.legacy(),
  second: gen.legacy(),
  rateLimited: gen.legacy(),
  arrears: gen.legacy(),
  slow: gen.legacy(),
  singapore: gen.legacy(),
  signed: gen.signed(),
  twice: gen.legacy(),
  reset: gen.legacy(),
  resetOnce: gen.legacy(),
  ambiguousTwin: gen.legacy(),
  planHex: gen.planHex(),
  planSigned: gen.planSigned(),
  temporary: gen.temporary(),
  accessKeyId: gen.accessKeyId(),
  accessKeySecret: gen.accessKeySecret(),
  ambiguous: gen.legacy(),
};

const everywhere = (answer: Answer): Record<string, Answer> => ({ 'cn-beijing': answer, 'ap-southeast-1': answer, 'us-east-1': answer, 'cn-hongkong': answer });
const answers = new Map<string, Partial<Record<string, Answer>>>([
  [keys.live, { 'cn-beijing': LIVE }],
  [keys.second, { 'ap-southeast-1': LIVE }],
  [keys.rateLimited, { 'cn-beijing': { status: 429, body: { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded' } } }],
  [keys.arrears, { 'cn-beijing': { status: 403, body: { code: 'Arrearage', message: 'Access denied, please make sure your account is in good standing.' } } }],
  [keys.slow, { 'cn-beijing': 'hang' }],
  [keys.twice, everywhere(LIVE)],
  [keys.reset, { 'cn-beijing': 'reset' }],
  [keys.resetOnce, { 'cn-beijing': 'reset-once' }],
  [keys.ambiguousTwin, { 'cn-beijing': LIVE }],
  // Skipped kinds would be "live" if they were ever sent, which they must not be.
  [keys.planHex, everywhere(LIVE)],
  [keys.planSigned, everywhere(LIVE)],
  [keys.ambiguous, everywhere(LIVE)],
]);

const files: Record<string, string> = {
  'live.env': `DASHSCOPE_API_KEY=${keys.live}\n`,
  'dead.env': `DASHSCOPE_API_KEY=${keys.dead}\n`,
  'second.env': `DASHSCOPE_API_KEY=${keys.second}\n`,
  'rate.env': `DASHSCOPE_API_KEY=${keys.rateLimited}\n`,
  'arrears.env': `DASHSCOPE_API_KEY=${keys.arrears}\n`,
  'slow.env': `DASHSCOPE_API_KEY=${keys.slow}\n`,
  'singapore.py': `client = OpenAI(api_key="${keys.singapore}", base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")\n`,
  'signed.env': `DASHSCOPE_API_KEY=${keys.signed}\n`,
  'twice/a.env': `DASHSCOPE_API_KEY=${keys.twice}\n`,
  'twice/b.env': `QWEN_API_KEY=${keys.twice}\n`,
  'reset.env': `DASHSCOPE_API_KEY=${keys.reset}\n`,
  'reset-once.env': `DASHSCOPE_API_KEY=${keys.resetOnce}\n`,
  'twin/plain.py': `api_key = "${keys.ambiguousTwin}"\n`,
  'twin/named.env': `DASHSCOPE_API_KEY=${keys.ambiguousTwin}\n`,
  'plan.env': `ALIBABA_CODING_PLAN_API_KEY=${keys.planHex}\nALIBABA_TOKEN_PLAN_API_KEY=${keys.planSigned}\n`,
  'temporary.json': `{"token": "${keys.temporary}", "host": "dashscope.aliyuncs.com"}\n`,
  'access-key.env': `ALIBABA_CLOUD_ACCESS_KEY_ID=${keys.accessKeyId}\nALIBABA_CLOUD_ACCESS_KEY_SECRET=${keys.accessKeySecret}\n`,
  'ambiguous.py': `api_key = "${keys.ambiguous}"\n`,
};

let server: FakeModelStudio;
let root: string;
let remove: () => void;
beforeAll(async () => {
  server = new FakeModelStudio(certificate, answers);
  await server.start();
  ({ root, remove } = makeTree(files, 'verify'));
});
afterAll(async () => {
  await server.stop();
  remove();
});

/** The CLI in the tree, with the fake regions and no proxy from this machine's environment. */
function cli(argv: string[], environment: Partial<RunEnvironment> = {}) {
  return run(argv, { cwd: root, env: {}, verifyTransport: server.transport(3000), ...environment });
}

async function jsonFindings(argv: string[], environment: Partial<RunEnvironment> = {}): Promise<{ exitCode: number; stderr: string; findings: Finding[] }> {
  const outcome = await cli([...argv, '--format', 'json'], environment);
  return { exitCode: outcome.exitCode, stderr: outcome.stderr, findings: outcome.stdout ? (JSON.parse(outcome.stdout).findings as Finding[]) : [] };
}

const byPath = (findings: Finding[], path: string): Finding[] => findings.filter((f) => f.path === path);

describe('without --verify', () => {
  it('makes no connection at all and adds no verification', async () => {
    server.seen.length = 0;
    const { findings } = await jsonFindings(['.']);
    expect(findings.length).toBeGreaterThan(10);
    expect(findings.every((f) => f.verification === undefined)).toBe(true);
    expect(server.seen).toEqual([]);
  });
});

describe('--verify against the local regions', () => {
  let findings: Finding[];
  let outcome: { exitCode: number; stderr: string };
  beforeAll(async () => {
    server.seen.length = 0;
    ({ findings, ...outcome } = await jsonFindings(['.', '--verify']));
  });

  const verificationOf = (path: string) => byPath(findings, path).map((f) => f.verification);

  it('sends each request as GET /compatible-mode/v1/models with the key as a bearer token and no body', () => {
    expect(server.seen.length).toBeGreaterThan(0);
    for (const request of server.seen) {
      expect(request.method).toBe('GET');
      expect(request.url).toBe('/compatible-mode/v1/models');
      expect(request.headers.authorization).toBe(`Bearer ${request.key}`);
      expect(request.body).toBe('');
      expect(request.headers['content-length'] ?? '0').toBe('0');
      expect(request.headers['transfer-encoding']).toBeUndefined();
    }
  });

  it.each([
    ['live in the first region', 'live.env', { status: 'live', region: 'cn-beijing' }, ['cn-beijing']],
    ['invalid everywhere', 'dead.env', { status: 'invalid' }, ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'cn-hongkong']],
    ['live only in the second region', 'second.env', { status: 'live', region: 'ap-southeast-1' }, ['cn-beijing', 'ap-southeast-1']],
    ['429: rate-limited, so it exists', 'rate.env', { status: 'live', region: 'cn-beijing' }, ['cn-beijing']],
    ['403 Arrearage: the key exists', 'arrears.env', { status: 'live', region: 'cn-beijing' }, ['cn-beijing']],
    ['the region the context names first', 'singapore.py', { status: 'invalid' }, ['ap-southeast-1', 'cn-beijing', 'us-east-1', 'cn-hongkong']],
    ['a signed key is not sent to US (Virginia), where none are issued', 'signed.env', { status: 'invalid' }, ['cn-beijing', 'ap-southeast-1', 'cn-hongkong']],
    ['a network error is retried once, and only once', 'reset.env', { status: 'unknown' }, ['cn-beijing', 'cn-beijing', 'ap-southeast-1', 'us-east-1', 'cn-hongkong']],
    ['a network error then an answer', 'reset-once.env', { status: 'live', region: 'cn-beijing' }, ['cn-beijing', 'cn-beijing']],
  ])('%s', (_name, path, expected, regions) => {
    const [verification] = verificationOf(path);
    expect(verification).toMatchObject(expected);
    const key = /sk-[^\s"]+/.exec(files[path])?.[0] as string;
    expect(server.regionsFor(key)).toEqual(regions);
  });

  it('a region that does not answer in time: one try there, inconclusive, the others still asked', () => {
    const [verification] = verificationOf('slow.env');
    expect(verification?.status).toBe('unknown');
    expect(verification?.reason).toMatch(/^China \(Beijing\): no answer within 3 s; refused in Singapore, US \(Virginia\), China \(Hong Kong\)$/);
    expect(server.regionsFor(keys.slow)).toEqual(['cn-beijing', 'ap-southeast-1', 'us-east-1', 'cn-hongkong']);
  });

  it('says why an invalid key is invalid, and why a key the network failed is unknown', () => {
    expect(verificationOf('dead.env')[0]?.reason).toBe('refused in China (Beijing), Singapore, US (Virginia), China (Hong Kong)');
    expect(verificationOf('reset.env')[0]?.reason).toMatch(/^China \(Beijing\): network error \(ECONNRESET\); refused in /);
    expect(verificationOf('rate.env')[0]?.reason).toBe('HTTP 429 Throttling.RateQuota: rate-limited, so the key exists');
  });

  it('checks a key found twice once, and gives both findings the outcome', () => {
    expect(server.regionsFor(keys.twice)).toEqual(['cn-beijing']);
    expect(verificationOf('twice/a.env')).toEqual([{ status: 'live', region: 'cn-beijing' }]);
    expect(verificationOf('twice/b.env')).toEqual([{ status: 'live', region: 'cn-beijing' }]);
  });

  it('sends a key with no vendor context when another place names it as Model Studio', () => {
    expect(server.regionsFor(keys.ambiguousTwin)).toEqual(['cn-beijing']);
    expect(verificationOf('twin/plain.py')).toEqual([{ status: 'live', region: 'cn-beijing' }]);
  });

  it.each([
    ['plan keys', 'plan.env', [keys.planHex, keys.planSigned], /^plan key: the vendor may disable/],
    ['temporary keys', 'temporary.json', [keys.temporary], /^temporary key/],
    ['AccessKeys', 'access-key.env', [keys.accessKeyId, keys.accessKeySecret], /^AccessKey/],
    ['a legacy key that could be DeepSeek\'s', 'ambiguous.py', [keys.ambiguous], /^ambiguous vendor context/],
  ])('never sends %s: skipped, with why', (_name, path, sent, reason) => {
    const found = byPath(findings, path);
    expect(found).toHaveLength(sent.length);
    for (const f of found) {
      expect(f.verification?.status).toBe('skipped');
      expect(f.verification?.reason).toMatch(reason);
    }
    for (const key of sent) expect(server.seen.filter((r) => JSON.stringify(r.headers).includes(key))).toEqual([]);
  });

  it('never puts a key in clear in the report or on standard error', () => {
    const text = JSON.stringify(findings) + outcome.stderr;
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
  });
});

describe('reports show the verification', () => {
  const tree = { 'a.env': `DASHSCOPE_API_KEY=${keys.live}\n` };
  let small: { root: string; remove: () => void };
  beforeAll(() => (small = makeTree(tree, 'verify-report')));
  afterAll(() => small.remove());

  it.each([
    // The text report wraps at 80 columns; the tag moves as a whole.
    ['text', /Model Studio API key\s+\[verified live in China \(Beijing\)\]/],
    ['github', /Model Studio API key\. Verified live in China \(Beijing\)\./],
    ['sarif', /Model Studio API key\. Verified live in China \(Beijing\)\./],
  ])('%s', async (format, shown) => {
    const outcome = await cli(['.', '--verify', '--format', format], { cwd: small.root });
    expect(outcome.stdout).toMatch(shown);
    expect(outcome.stdout + outcome.stderr).not.toContain(keys.live);
    if (format === 'sarif') {
      const result = JSON.parse(outcome.stdout).runs[0].results[0];
      expect(result.properties.verification).toEqual({ status: 'live', region: 'cn-beijing' });
      const file = path.join(small.root, 'verified.sarif');
      writeFileSync(file, outcome.stdout);
      const verdict = validateSarif(file);
      expect(verdict.errors).toEqual([]);
    }
  });
});

describe('--only-live', () => {
  let trees: { root: string; remove: () => void }[] = [];
  const tree = (content: Record<string, string>): string => {
    const made = makeTree(content, 'verify-only-live');
    trees.push(made);
    return made.root;
  };
  afterAll(() => {
    for (const t of trees) t.remove();
    trees = [];
  });

  it.each([
    ['an invalid key does not fail', { 'a.env': `DASHSCOPE_API_KEY=${keys.dead}\n` }, 0],
    ['a skipped key does not fail', { 'a.env': `ALIBABA_CODING_PLAN_API_KEY=${keys.planHex}\n` }, 0],
    ['a live key fails', { 'a.env': `DASHSCOPE_API_KEY=${keys.live}\n` }, 1],
    ['an inconclusive check fails: an outage is no pass', { 'a.env': `DASHSCOPE_API_KEY=${keys.reset}\n` }, 1],
  ])('%s', async (_name, content, exitCode) => {
    const cwd = tree(content);
    expect((await cli(['.', '--verify', '--only-live'], { cwd })).exitCode).toBe(exitCode);
    // Without --only-live, every one of them fails.
    expect((await cli(['.', '--verify'], { cwd })).exitCode).toBe(1);
  });

  it('needs --verify', async () => {
    const outcome = await cli(['.', '--only-live']);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/--only-live needs --verify/);
  });
});
