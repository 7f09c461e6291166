import { builtinRules } from '../../rules';
import { createScanner } from '../../src/engine/scanner';
import type { Finding, ScanOutcome } from '../../src/types';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';

// The blobs of a history are read in two runs when there are over 1 MiB of them: on two workers, or (up to
// blobRunHereUpTo) one on this thread and one on a worker. Every way gives the same outcome, finding for finding.

const gen = new KeyGenerator('blob-runs');

describe('blob runs: here and on a worker, on two workers, on this thread alone', () => {
  let r: TempRepo;
  let oids: string[];
  let sizes: number[];
  beforeAll(() => {
    r = new TempRepo();
    const filler = (n: number): string => Array.from({ length: 4000 }, (_, i) => `const line${n}_${i} = ${i * n};\n`).join('');
    for (let n = 0; n < 12; n++) r.write(`src/f${n}.js`, `${filler(n)}${n % 4 === 0 ? `DASHSCOPE_API_KEY=${gen.legacy()}\n` : ''}`);
    r.commit('files');
    const listed = r.git('cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype) %(objectsize)').trim().split('\n');
    const blobs = listed.map((line) => line.split(' ')).filter(([, type]) => type === 'blob');
    oids = blobs.map(([oid]) => oid);
    sizes = blobs.map(([, , size]) => Number(size));
  });
  afterAll(() => r.cleanup());

  const scan = async (options: { threads?: number; blobRunHereUpTo?: number }): Promise<ScanOutcome> => {
    const scanner = createScanner({ rules: builtinRules, detect: {}, ...options });
    const blobs = scanner.blobs({ cwd: r.dir, oids, sizes, bytes: sizes.reduce((a, b) => a + b, 0) });
    return blobs.end();
  };
  const shown = (findings: Finding[]) => findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn}:${f.ruleId}:${f.fingerprint}`).sort();

  it('gives the same findings and counts every way', async () => {
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(1 << 20);
    const here = await scan({ threads: 2 });
    const workers = await scan({ threads: 2, blobRunHereUpTo: 0 });
    const alone = await scan({ threads: 1 });
    expect(shown(here.findings)).toHaveLength(3);
    expect(shown(workers.findings)).toEqual(shown(here.findings));
    expect(shown(alone.findings)).toEqual(shown(here.findings));
    for (const outcome of [workers, alone]) expect([outcome.files, outcome.bytes]).toEqual([here.files, here.bytes]);
  });
});
