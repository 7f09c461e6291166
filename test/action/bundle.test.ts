import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('the committed action bundle', () => {
  it('is what `npm run build:action` builds from the current sources (rebuild and commit dist-action/ when this fails)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'msl-bundle-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts', 'build-action.js'), path.join(dir, 'index.js')], { stdio: 'pipe' });
      const fresh = readFileSync(path.join(dir, 'index.js'), 'utf8');
      const committed = readFileSync(path.join(root, 'dist-action', 'index.js'), 'utf8');
      // Compare lengths first: a diff of two megabyte strings in a failure message helps nobody.
      expect(committed.length).toBe(fresh.length);
      expect(committed === fresh).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the entry action.yml names, on node24, with the documented inputs and outputs', () => {
    const yml = readFileSync(path.join(root, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist-action\/index\.js\n?$/m);
    expect(existsSync(path.join(root, 'dist-action', 'index.js'))).toBe(true);
    const section = (name: string) => [...(yml.split(`\n${name}:\n`)[1]?.split(/\n(?=\S)/)[0] ?? '').matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    expect(section('inputs')).toEqual(['path', 'mode', 'fail-level', 'sarif-file', 'config', 'baseline', 'verify', 'inline-allow']);
    expect(section('outputs')).toEqual(['findings', 'sarif-file']);
    expect(yml).toMatch(/ {2}sarif-file:\n(?: {4}.*\n)*? {4}default: ms-leakscan\.sarif\n/);
  });
});
