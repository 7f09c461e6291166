import fc from 'fast-check';
import path from 'node:path';
import { fromReportPath, relativeSlashed, toReportPath } from '../src/paths';

// Segments that path functions treat specially (empty, `.`, `..`) beside plain names that look like them.
const segment = fc.constantFrom('a', 'b c', '..x', 'x..', '...', '.env', '.', '..', '', 'é');
const relPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
const cwd = fc.constantFrom('/', '/work', '/work/repo/', '/a b/c');

describe('report paths', () => {
  it('fromReportPath gives what path.resolve gives, for plain and unplain paths alike', () => {
    fc.assert(
      fc.property(cwd, relPath, (dir, rel) => {
        expect(fromReportPath(dir, rel, path.posix)).toBe(path.posix.resolve(dir, rel));
      }),
      { numRuns: 2000, seed: 20261203 },
    );
  });

  it('relativeSlashed gives what path.relative gives, and toReportPath names the folder itself by its name', () => {
    fc.assert(
      fc.property(cwd, relPath, (dir, rel) => {
        const abs = path.posix.resolve(dir, rel);
        expect(relativeSlashed(dir, abs, path.posix)).toBe(path.posix.relative(dir, abs));
      }),
      { numRuns: 2000, seed: 20261203 },
    );
    expect(toReportPath('/work/repo', '/work/repo', path.posix)).toBe('repo');
    expect(relativeSlashed('/work/repo', '/work/repo', path.posix)).toBe('');
  });

  it('on Windows, joins and relatives go through the path module', () => {
    expect(fromReportPath('C:\\repo', 'src/a.ts', path.win32)).toBe('C:\\repo\\src\\a.ts');
    expect(relativeSlashed('C:\\repo', 'c:\\REPO\\src\\a.ts', path.win32)).toBe('src/a.ts');
  });
});
