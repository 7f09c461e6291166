import { availableParallelism } from 'node:os';
import { threadsFor } from '../../src/engine/scanner';
import { emptyOutcome, mergeOutcome, relabelUnits, resultOf, unitKeys } from '../../src/outcome';
import type { Finding } from '../../src/types';

const finding = (path: string, line: number): Finding => ({
  ruleId: 'r',
  level: 'warning',
  confidence: 'high',
  path,
  startLine: line,
  startColumn: 1,
  endLine: line,
  endColumn: 5,
  secret: 'x',
  fingerprint: 'f',
  entropy: 4,
  message: 'm',
  remediation: 'r',
});

describe('threadsFor: the one threads policy', () => {
  const cores = availableParallelism();
  it.each([
    ['asked for', 3, {}, 3],
    ['asked for, not whole', 2.7, { files: 10_000 }, 2],
    ['a pre-commit: few files', undefined, { files: 10 }, 1],
    ['enough files', undefined, { files: 256 }, cores],
    ['few blob bytes', undefined, { bytes: 1000 }, 1],
    ['a megabyte of blobs', undefined, { bytes: 1 << 20 }, cores],
  ])('%s', (_what, asked, work, expected) => {
    expect(threadsFor(asked, work)).toBe(expected);
  });
});

describe('ScanOutcome: one outcome that merges, its warnings written once', () => {
  it('merges parts from threads and sources, and writes each warning once, sorted', () => {
    const a = { ...emptyOutcome(), findings: [finding('b.txt', 2)], cutLines: ['z.txt'], tooLarge: ['big.bin'], files: 2, bytes: 10, suppressed: 1, warnings: ['shallow'] };
    const b = {
      ...emptyOutcome(),
      findings: [finding('a.txt', 9)],
      cutLines: ['z.txt', 'y.txt'],
      tooLarge: ['big.bin', 'huge.bin'],
      overBudget: [{ path: 'dense.txt', line: 3, column: 4, lastLine: 3 }, { path: 'dense.txt', line: 3, column: 4, lastLine: 3 }],
      files: 1,
      bytes: 5,
      suppressed: 2,
      warnings: ['shallow'],
    };
    const result = resultOf(mergeOutcome(mergeOutcome(emptyOutcome(), a), b), performance.now(), 100);
    expect(result.findings.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(result.stats).toMatchObject({ files: 3, bytes: 15, suppressed: 3 });
    expect(result.warnings).toEqual([
      'shallow',
      'y.txt: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed',
      'z.txt: a line longer than 64 MB was cut for scanning; a key exactly on the cut can be missed',
      expect.stringMatching(/^dense\.txt: too dense to scan whole .* scanned up to line 3, column 4; from there to the end of that line keys can be missed$/),
      '2 file(s) larger than maxFileSize (100 bytes) not scanned: big.bin, huge.bin — raise maxFileSize in the config to scan them',
    ]);
  });

  it('names units by their labels: a blob found at two paths is too large at both, cut at its first', () => {
    const outcome = { ...emptyOutcome(), tooLarge: ['oid1'], cutLines: ['oid2'] };
    relabelUnits(outcome, (oid) => (oid === 'oid1' ? ['a/x', 'b/x'] : ['c/y', 'd/y']));
    expect([outcome.tooLarge, outcome.cutLines]).toEqual([['a/x', 'b/x'], ['c/y']]);
  });

  it('lists the unit keys relabelling will name (history looks up only these blobs), leaving the outcome as it was', () => {
    const outcome = {
      ...emptyOutcome(),
      tooLarge: ['oid1'],
      cutLines: ['oid2'],
      overBudget: [{ path: 'oid3', line: 1, column: 1, lastLine: 1 }],
      unitProblems: [{ severity: 'error' as const, path: 'oid4', message: 'could not be read' }],
    };
    const before = JSON.stringify(outcome);
    expect(unitKeys(outcome).sort()).toEqual(['oid1', 'oid2', 'oid3', 'oid4']);
    expect(JSON.stringify(outcome)).toBe(before);
  });
});
