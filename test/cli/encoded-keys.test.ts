import path from 'node:path';
import zlib from 'node:zlib';
import { run } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { makeTar, makeZip } from '../archive/build-archives';
import { KeyGenerator } from '../support/keys';
import { validateSarif } from '../support/sarif-validator';
import { makeTree } from '../support/temp-tree';

// Issue 13, wiring: encoded keys, archive members and binary strings found end to end through the CLI, at the
// place of the encoded text (line and column), the member path (`a.zip!config/.env`) or the byte offset.

const gen = new KeyGenerator('encoded-keys');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const escapeEach = (s: string, form: (code: number) => string): string => [...s].map((c) => form(c.charCodeAt(0))).join('');

interface Scan {
  exitCode: number;
  findings: Finding[];
  errors: { path: string; message: string }[];
  warnings: string[];
  stdout: string;
  stderr: string;
}

async function scan(files: Record<string, string | Buffer>, extra: string[] = []): Promise<Scan> {
  const tree = makeTree(files, 'encoded');
  try {
    const out = await run(['--format', 'json', '--threads', '1', ...extra, '.'], { cwd: tree.root, env: {} });
    const parsed = JSON.parse(out.stdout) as { findings: Finding[]; errors: Scan['errors']; warnings: string[] };
    return { exitCode: out.exitCode, ...parsed, stdout: out.stdout, stderr: out.stderr };
  } finally {
    tree.remove();
  }
}

/** 1-based line and column of `needle` in `text`, plus `skip` characters. */
function positionOf(text: string, needle: string, skip = 0): { startLine: number; startColumn: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error('needle not in text');
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { startLine: line, startColumn: at - (before.lastIndexOf('\n') + 1) + 1 + skip };
}

/** Characters into a base64 text at which decoded byte `i` starts (its first bit). */
const base64Char = (i: number): number => Math.floor((i * 8) / 6);

describe('decoded keys, end to end', () => {
  const key = gen.legacy();
  const hex = key.slice(3);
  const encodedForms: Array<[string, string, string, number, string | undefined]> = [
    // name, file text, the encoded text the finding must point into, characters into it, expected chain
    ['base64 value of a Kubernetes Secret', `apiVersion: v1\nkind: Secret\ndata:\n  DASHSCOPE_API_KEY: ${b64(key)}\n`, b64(key), 0, 'base64'],
    ['base64url without padding', `dashscope_token=${b64url(`${key}?`).replace(/=+$/, '')}\n`, b64url(`${key}?`).replace(/=+$/, ''), 0, 'base64'],
    [
      'Docker config.json auths (user:key)',
      `{"auths": {"dashscope.aliyuncs.com": {"auth": "${b64(`user:${key}`)}"}}}\n`,
      b64(`user:${key}`),
      base64Char(5),
      'base64',
    ],
    ['percent-encoded dash', `GET https://dashscope.aliyuncs.com/x?key=sk%2D${hex} 200\n`, `sk%2D${hex}`, 0, 'percent'],
    ['percent-encoded whole key', `q=${escapeEach(key, (c) => `%${c.toString(16).padStart(2, '0')}`)}&model=qwen-max\n`, '%73%6b', 0, 'percent'],
    ['JSON \\u escapes', `{"api_key": "${escapeEach('sk-', (c) => `\\u${c.toString(16).padStart(4, '0')}`)}${hex}", "model": "qwen-plus"}\n`, '\\u0073', 0, 'unicode-escape'],
    ['\\x escapes', `dashscope_key = '${escapeEach('sk-', (c) => `\\x${c.toString(16)}`)}${hex}'\n`, '\\x73', 0, 'unicode-escape'],
    ['HTML entities', `<input name="dashscope-key" value="&#115;&#107;&#45;${hex}">\n`, '&#115;', 0, 'html-entity'],
    ['base64 of percent-encoded text', `x: 1\nblob: ${b64(`DASHSCOPE_API_KEY=sk%2D${hex}`)}\n`, b64(`DASHSCOPE_API_KEY=sk%2D${hex}`), base64Char(18), 'base64>percent'],
    ['&quot; around a plain key: found in place', `<code>DASHSCOPE_API_KEY=&quot;${key}&quot;</code>\n`, key, 0, undefined],
    ['%22 before a plain key: found in place, not twice', `GET /v1?model=qwen-max&key=%22${key}%22\n`, key, 0, undefined],
  ];

  it.each(encodedForms)('%s', async (_name, text, encoded, skip, chain) => {
    const { findings, errors, warnings } = await scan({ 'f.txt': text }, ['--show-secret']);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect({ path: finding.path, ruleId: finding.ruleId, ...positionOf(text, encoded, skip), decoded: finding.decoded, secret: finding.secret }).toEqual({
      path: 'f.txt',
      ruleId: 'alibaba-model-studio-api-key',
      startLine: finding.startLine,
      startColumn: finding.startColumn,
      decoded: chain,
      secret: key,
    });
  });

  it('a key across a line break of wrapped base64 (an .env file as GNU `base64` writes it, 76 columns)', async () => {
    const env = `# staging\nREGION=cn-beijing\nDASHSCOPE_API_KEY=${key}\nLOG_LEVEL=info\n`;
    const text = `${(b64(env).match(/.{1,76}/g) as string[]).join('\n')}\n`;
    const keyChar = base64Char(env.indexOf(key));
    const lastChar = base64Char(env.indexOf(key) + key.length - 1);
    expect(Math.floor(keyChar / 76)).toBeLessThan(Math.floor(lastChar / 76)); // the key crosses a line break
    const { findings, errors } = await scan({ 'env.b64': text }, ['--show-secret']);
    expect(errors).toEqual([]);
    expect(findings.map((f) => ({ path: f.path, line: f.startLine, column: f.startColumn, decoded: f.decoded, secret: f.secret }))).toEqual([
      { path: 'env.b64', line: 1 + Math.floor(keyChar / 76), column: 1 + (keyChar % 76), decoded: 'base64', secret: key },
    ]);
  });

  it('an AccessKey secret in a Kubernetes Secret: the base64 value named on its line is found where it is', async () => {
    const id = gen.accessKeyId();
    const secret = gen.accessKeySecret();
    const text = `apiVersion: v1\nkind: Secret\ndata:\n  ALIBABA_CLOUD_ACCESS_KEY_ID: ${b64(id)}\n  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ${b64(secret)}\n`;
    const { findings, errors } = await scan({ 'secret.yaml': text }, ['--show-secret']);
    expect(errors).toEqual([]);
    // The ID alone (32 characters of base64) is half a pair and is not looked for; its secret is.
    expect(findings.map((f) => ({ ruleId: f.ruleId, line: f.startLine, column: f.startColumn, decoded: f.decoded, secret: f.secret }))).toEqual([
      { ruleId: 'alibaba-cloud-access-key-secret', ...{ line: 5, column: positionOf(text, b64(secret)).startColumn }, decoded: 'base64', secret },
    ]);
  });

  it('a named base64 value is judged as the same value in plain text is', async () => {
    const secret = gen.accessKeySecret();
    const lines = [
      ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', secret],
      ['GITHUB_CLIENT_SECRET', secret],
      ['secretName', 'a sentence that is long enough to be base64 of text'],
      ['DASHSCOPE_API_KEY', gen.legacy()],
    ];
    const plain = await scan({ 'p.yaml': lines.map(([name, value]) => `${name}: ${value}`).join('\n') });
    const encoded = await scan({ 'e.yaml': lines.map(([name, value]) => `${name}: ${b64(value)}`).join('\n') });
    const judged = (fs: Finding[]) => fs.map((f) => [f.startLine, f.ruleId, f.level, f.confidence, f.message]);
    expect(plain.findings.length).toBeGreaterThan(0);
    expect(judged(encoded.findings)).toEqual(judged(plain.findings));
    expect(encoded.findings.every((f) => f.decoded === 'base64')).toBe(true);
  });

  it('a decoded key is redacted like any other, in JSON, SARIF and text, and SARIF carries the chain', async () => {
    const text = `DASHSCOPE_API_KEY: ${b64(key)}\n`;
    for (const format of ['json', 'sarif', 'text', 'github']) {
      const tree = makeTree({ 'secret.yaml': text }, 'encoded');
      try {
        const out = await run(['--format', format, '.'], { cwd: tree.root, env: {} });
        expect(out.exitCode).toBe(1);
        expect(out.stdout + out.stderr).not.toContain(key);
        expect(out.stdout + out.stderr).not.toContain(b64(key));
        if (format === 'sarif') expect(JSON.parse(out.stdout).runs[0].results[0].properties.decoded).toBe('base64');
        if (format === 'text') expect(out.stdout).toContain('(base64-encoded)');
      } finally {
        tree.remove();
      }
    }
  });

  it('--no-decode finds plain keys only', async () => {
    const { findings } = await scan({ 'a.txt': `k: ${b64(key)}\nDASHSCOPE_API_KEY=${gen.legacy()}\n` }, ['--no-decode']);
    expect(findings.map((f) => [f.startLine, f.decoded])).toEqual([[2, undefined]]);
  });

  it('decoding stopped at its cap is a warning naming the cap', async () => {
    // base64 of base64 of text, every line: both layers are decoded, past 8 MiB of decoded bytes in one piece.
    const line = b64(b64(`model studio notes ${'lorem ipsum dolor sit amet '.repeat(8)}`));
    const text = `${line}\n`.repeat(Math.ceil((7 * 1024 * 1024) / (line.length + 1)));
    const { warnings, exitCode } = await scan({ 'big.txt': text });
    expect(exitCode).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/^big\.txt: decoding stopped at the cap of 8388608 decoded bytes per fragment \(maxDecodedBytes\); encoded keys can be missed$/)]);
  });
});

describe('archives and binaries, end to end', () => {
  const key = gen.legacy();
  const env = `# prod\nDASHSCOPE_API_KEY=${key}\n`;
  const binary = (at: number, text: Buffer): Buffer => {
    const bytes = Buffer.alloc(at + text.length + 64);
    bytes.write('\u007fELF', 0, 'latin1');
    text.copy(bytes, at);
    return bytes;
  };
  const where = (f: Finding) => ({ path: f.path, line: f.startLine, column: f.startColumn, byteOffset: f.byteOffset });

  it.each<[string, Record<string, Buffer>, ReturnType<typeof where>]>([
    ['zip', { 'dist/app.zip': makeZip([{ name: 'config/.env', data: env }]) }, { path: 'dist/app.zip!config/.env', line: 2, column: 19, byteOffset: undefined }],
    ['stored zip', { 'a.zip': makeZip([{ name: 'a/.env', data: env, stored: true }]) }, { path: 'a.zip!a/.env', line: 2, column: 19, byteOffset: undefined }],
    [
      'jar holding a zip (depth 2)',
      { 'lib/app.jar': makeZip([{ name: 'inner.zip', data: makeZip([{ name: 'app.properties', data: env }]) }]) },
      { path: 'lib/app.jar!inner.zip!app.properties', line: 2, column: 19, byteOffset: undefined },
    ],
    ['gzip', { 'logs/app.log.gz': zlib.gzipSync(env) }, { path: 'logs/app.log.gz!app.log', line: 2, column: 19, byteOffset: undefined }],
    ['tar', { 'b.tar': makeTar([{ name: 'etc/.env', data: env }]) }, { path: 'b.tar!etc/.env', line: 2, column: 19, byteOffset: undefined }],
    ['tar.gz', { 'b.tgz': zlib.gzipSync(makeTar([{ name: 'etc/.env', data: env }])) }, { path: 'b.tgz!etc/.env', line: 2, column: 19, byteOffset: undefined }],
    ['binary, ASCII string', { 'bin/tool': binary(1000, Buffer.from(`DASHSCOPE_API_KEY=${key}`)) }, { path: 'bin/tool', line: 1, column: 1, byteOffset: 1018 }],
    ['binary, UTF-16LE string', { 'bin/tool.exe': binary(2000, Buffer.from(`DASHSCOPE_API_KEY=${key}`, 'utf16le')) }, { path: 'bin/tool.exe', line: 1, column: 1, byteOffset: 2036 }],
    [
      'binary member of a zip',
      { 'app.zip': makeZip([{ name: 'bin/tool', data: binary(300, Buffer.from(`DASHSCOPE_API_KEY=${key}`)) }]) },
      { path: 'app.zip!bin/tool', line: 1, column: 1, byteOffset: 318 },
    ],
    ['base64 inside a zip member', { 'k.zip': makeZip([{ name: 's.yaml', data: `data:\n  DASHSCOPE_API_KEY: ${b64(key)}\n` }]) }, { path: 'k.zip!s.yaml', line: 2, column: 22, byteOffset: undefined }],
  ])('%s', async (_name, files, expected) => {
    const { findings, errors, warnings } = await scan(files, ['--show-secret']);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(findings.map(where)).toEqual([expected]);
    expect(findings[0].secret).toBe(key);
  });

  it('SARIF gives a binary finding a byte region and stays a valid result', async () => {
    const tree = makeTree({ 'bin/tool': binary(64, Buffer.from(`DASHSCOPE_API_KEY=${key}`)) }, 'encoded');
    try {
      const out = await run(['--format', 'sarif', '.'], { cwd: tree.root, env: {} });
      const result = JSON.parse(out.stdout).runs[0].results[0];
      expect(result.locations[0].physicalLocation.region).toEqual({ byteOffset: 82, snippet: { text: expect.any(String) } });
      expect(result.properties.byteOffset).toBe(82);
    } finally {
      tree.remove();
    }
  });

  it('SARIF with a decoded key, an archive member and a binary finding passes the validator (GitHub rules too)', async () => {
    const tree = makeTree(
      {
        'bin/tool': binary(64, Buffer.from(`DASHSCOPE_API_KEY=${key}`)),
        'dist/app.zip': makeZip([{ name: 'config/.env', data: env }]),
        'k8s/secret.yaml': `data:\n  DASHSCOPE_API_KEY: ${b64(key)}\n`,
      },
      'encoded',
    );
    try {
      const out = await run(['--format', 'sarif', '--output', path.join(tree.root, 'out.sarif'), '.'], { cwd: tree.root, env: {} });
      expect(out.exitCode).toBe(1);
      const verdict = validateSarif(path.join(tree.root, 'out.sarif'));
      expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
    } finally {
      tree.remove();
    }
  });

  it('images and fonts are skipped by their magic bytes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.from(`DASHSCOPE_API_KEY=${key}`)]);
    const { findings, warnings } = await scan({ 'logo.png': png });
    expect(findings).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each<[string, Record<string, Buffer>, { errors: RegExp[]; warnings: RegExp[]; exitCode: number }]>([
    [
      'a zip bomb (ratio over 100:1)',
      { 'bomb.zip': makeZip([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024) }]) },
      { errors: [/compression ratio/], warnings: [], exitCode: 2 },
    ],
    [
      'a truncated zip',
      { 'cut.zip': makeZip([{ name: 'a/.env', data: env.repeat(50) }]).subarray(0, 60) },
      {
        errors: [/^no end of central directory record \(truncated or not a zip\): read 1 members/, /^truncated zip: member has 24 of its 90 bytes$/, /^truncated compressed data/],
        warnings: [],
        exitCode: 2,
      },
    ],
    [
      'archives nested three deep',
      { 'n.zip': makeZip([{ name: 'a.zip', data: makeZip([{ name: 'b.zip', data: makeZip([{ name: '.env', data: env }]) }]) }]) },
      { errors: [/nested deeper than 2 levels/], warnings: [], exitCode: 2 },
    ],
    ['a 7z archive', { 'x.7z': Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 0, 0]) }, { errors: [], warnings: [/^x\.7z: 7z archive: not opened/], exitCode: 1 }],
  ])('%s: a clear problem, the scan goes on (exit 2 when incomplete)', async (_name, files, expected) => {
    const { findings, errors, warnings, exitCode } = await scan({ ...files, 'ok.env': Buffer.from(env) });
    expect(findings.map((f) => f.path)).toEqual(['ok.env']);
    expect(errors.map((e) => e.message)).toEqual(expected.errors.map((re) => expect.stringMatching(re)));
    expect(warnings).toEqual(expected.warnings.map((re) => expect.stringMatching(re)));
    expect(exitCode).toBe(expected.exitCode);
  });

  it('--no-archives and --no-binary-strings turn each off', async () => {
    const files = { 'a.zip': makeZip([{ name: '.env', data: env }]), 'bin/tool': binary(100, Buffer.from(`DASHSCOPE_API_KEY=${key}`)) };
    expect((await scan(files)).findings.map((f) => f.path)).toEqual(['a.zip!.env', 'bin/tool']);
    expect((await scan(files, ['--no-archives'])).findings.map((f) => f.path)).toEqual(['bin/tool']);
    expect((await scan(files, ['--no-binary-strings'])).findings.map((f) => f.path)).toEqual(['a.zip!.env']);
  });
});
