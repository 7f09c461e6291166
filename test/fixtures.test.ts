import path from 'node:path';
import { run } from '../src/cli/run';
import { KEY_TOKENS } from './support/keys';
import { materialiseFixture, readExpected, type MaterialisedTree } from './support/fixture-tree';
import type { Finding } from '../src/types';

/** One line of fixtures/positives/expected.json: written by hand from the templates, not from a scan. */
interface ExpectedFinding {
  path: string;
  ruleId: string;
  level: string;
  startLine: number;
  startColumn: number;
  region?: string;
  /** The template token whose value the finding's secret must be. */
  token: string;
}

/** A finding as the JSON report writes it. */
type JsonFinding = Finding;

async function scanJson(root: string, extra: string[] = []): Promise<{ exitCode: number; findings: JsonFinding[]; files: number }> {
  const outcome = await run(['--format', 'json', ...extra, '.'], { cwd: root, env: {} });
  const parsed = JSON.parse(outcome.stdout) as { findings: JsonFinding[]; errors: unknown[]; stats: { files: number } };
  expect(parsed.errors).toEqual([]);
  return { exitCode: outcome.exitCode, findings: parsed.findings, files: parsed.stats.files };
}

describe('positives fixture tree', () => {
  const expected = readExpected<ExpectedFinding[]>('positives');
  let tree: MaterialisedTree;
  let findings: JsonFinding[];
  let exitCode: number;

  beforeAll(async () => {
    tree = materialiseFixture('positives');
    let files: number;
    ({ findings, exitCode, files } = await scanJson(tree.root, ['--show-secret']));
    expect(files).toBe(tree.texts.size);
  });
  afterAll(() => tree.remove());

  it('covers every key kind in at least 10 file types', () => {
    expect(new Set(expected.map((e) => e.token))).toEqual(KEY_TOKENS);
    // A file's type: its extension, or its name when it has none (Dockerfile, .env).
    const types = new Set(expected.map((e) => path.extname(path.basename(e.path)) || path.basename(e.path)));
    expect(types.size).toBeGreaterThanOrEqual(10);
  });

  it('finds exactly the expected findings, in order', () => {
    expect(exitCode).toBe(1);
    const got = findings.map(({ path, ruleId, level, startLine, startColumn, region }) => ({
      path,
      ruleId,
      level,
      startLine,
      startColumn,
      ...(region ? { region } : {}),
    }));
    expect(got).toEqual(expected.map(({ token: _token, ...rest }) => rest));
  });

  it.each(expected.map((e) => [`${e.path}:${e.startLine}:${e.startColumn}`, e] as const))('%s spans exactly the planted secret', (_where, e) => {
    const finding = findings.find((f) => f.path === e.path && f.startLine === e.startLine && f.startColumn === e.startColumn);
    expect(finding).toBeDefined();
    const planted = (tree.planted.get(e.path) ?? []).filter((v) => v.token === e.token).map((v) => v.value);
    expect(planted).toContain(finding!.secret);
    // The span, read back from the text as written (columns in UTF-16 code units, CRLF and BOM excluded).
    const line = tree.texts.get(e.path)!.split('\n')[e.startLine - 1];
    expect(finding!.endLine).toBe(e.startLine);
    expect(line.slice(finding!.startColumn - 1, finding!.endColumn - 1)).toBe(finding!.secret);
  });

  it('every planted key is reported', () => {
    const plantedKeys = [...tree.planted.values()].flat().filter((v) => KEY_TOKENS.has(v.token)).map((v) => v.value);
    expect(findings.map((f) => f.secret).sort()).toEqual(plantedKeys.sort());
  });

  it.each(['json', 'text'])('without --show-secret no planted key appears anywhere in the %s output', async (format) => {
    const outcome = await run(['--format', format, '.'], { cwd: tree.root, env: {} });
    expect(outcome.exitCode).toBe(1);
    const everything = outcome.stdout + outcome.stderr;
    const leaked = [...tree.planted.values()].flat().filter((v) => KEY_TOKENS.has(v.token) && everything.includes(v.value));
    expect(leaked).toEqual([]);
    // …and not a long piece of one either (redaction keeps 2 characters of each end).
    for (const { value } of [...tree.planted.values()].flat().filter((v) => KEY_TOKENS.has(v.token))) {
      expect(everything).not.toContain(value.slice(-12));
    }
  });
});

describe('negatives fixture tree', () => {
  // Several seeds: a look-alike must be rejected for what it is, not for the luck of one random draw.
  it.each(['a', 'b', 'c', 'd', 'e'])('has zero findings and exits 0 (seed %s)', async (seed) => {
    const tree = materialiseFixture('negatives', `negatives-${seed}`);
    try {
      const { exitCode, findings, files } = await scanJson(tree.root, ['--show-secret', '--fail-level', 'note']);
      expect(findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn} ${f.ruleId} ${f.secret}`)).toEqual([]);
      expect(files).toBe(tree.texts.size);
      expect(exitCode).toBe(0);
    } finally {
      tree.remove();
    }
  });
});
