import path from 'node:path';
import { cruise, stageCycles, stageOf } from './support/import-graph';
import { makeTree } from './support/temp-tree';

const ROOT = path.resolve(__dirname, '..');

// The pipeline's layering (README, Development): source → engine (fragments → detect) → report, and the CLI on top.
describe('import graph', () => {
  const graph = cruise(ROOT, ['src', 'rules', 'bin']);

  it('breaks none of the layering rules of .dependency-cruiser.cjs', () => {
    expect(graph.violations).toEqual([]);
    // The check saw the tree: every stage is in the graph.
    const stages = new Set([...graph.imports.keys()].map(stageOf));
    for (const stage of ['src/sources', 'src/engine', 'src/fragments', 'src/detect', 'src/report', 'src/cli', 'rules']) expect(stages).toContain(stage);
  });

  it('has no cycle between folders', () => {
    expect(stageCycles(graph.imports)).toEqual([]);
  });
});

describe('the import-graph check itself', () => {
  it('fails on a source that imports the engine, detection that imports a source, and a folder-level cycle', () => {
    const tree = makeTree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
      'src/engine/scanner.ts': 'export const scanner = 1;\n',
      'src/sources/files.ts': "import { scanner } from '../engine/scanner';\nexport const files = scanner;\n",
      'src/detect/detect.ts': "import { files } from '../sources/files';\nexport const detect = files;\n",
      'src/report/a.ts': "import { b } from '../verify/b';\nexport const a = 1 + b;\n",
      'src/verify/b.ts': "import { c } from '../report/c';\nexport const b = c;\n",
      'src/report/c.ts': 'export const c = 1;\n',
    }, 'import-graph');
    try {
      const bad = cruise(tree.root, ['src']);
      expect(bad.violations).toEqual(
        expect.arrayContaining([
          'sources-do-not-scan: src/sources/files.ts → src/engine/scanner.ts',
          'detect-is-pure: src/detect/detect.ts → src/sources/files.ts',
        ]),
      );
      expect(stageCycles(bad.imports)).toEqual([['src/report', 'src/verify']]);
    } finally {
      tree.remove();
    }
  });
});
