import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { scan, scanText } from '../src/index';
import { KeyGenerator } from './support/keys';
import { makeTree } from './support/temp-tree';

const gen = new KeyGenerator('api');
const ROOT = path.resolve(__dirname, '..');

describe('library API', () => {
  it("README's example runs against the built package as written", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const example = /<!-- api-example[^>]*-->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("require('ms-leakscan')");
    const tree = makeTree({ 'src/app.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`, 'example.js': example as string }, 'api-readme');
    try {
      mkdirSync(path.join(tree.root, 'node_modules'));
      symlinkSync(ROOT, path.join(tree.root, 'node_modules', 'ms-leakscan'), 'dir');
      const stdout = execFileSync(process.execPath, ['example.js'], {
        cwd: tree.root,
        encoding: 'utf8',
        env: { ...process.env, MESSAGE: `here it is: ${gen.signed()}` },
      });
      expect(stdout).toMatch(/^src\/app\.env:1:19 alibaba-model-studio-api-key sk-\w{2}…\w{2}\nmessage: 1 key\(s\)\n$/);
    } finally {
      tree.remove();
    }
  });

  it('scan() finds the config as the CLI does (its allowPaths), and config: false turns that off', async () => {
    const tree = makeTree(
      {
        '.ms-leakscan.json': JSON.stringify({ allowPaths: ['vendor/**'] }),
        'vendor/lib.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
        'app/main.env': `DASHSCOPE_API_KEY=${gen.legacy()}\n`,
      },
      'api-config',
    );
    try {
      const withConfig = await scan({ cwd: tree.root, paths: ['.'] });
      expect(withConfig.findings.map((f) => f.path)).toEqual(['app/main.env']);
      const withoutConfig = await scan({ cwd: tree.root, paths: ['.'], config: false });
      expect(withoutConfig.findings.map((f) => f.path)).toEqual(['app/main.env', 'vendor/lib.env']);
    } finally {
      tree.remove();
    }
  });

  it('scanText() scans a string at the path given, redacted unless showSecret', async () => {
    const key = gen.legacy();
    const redacted = await scanText(`line one\nDASHSCOPE_API_KEY=${key}\n`, { path: 'chat.txt' });
    expect(redacted.findings.map((f) => [f.path, f.startLine, f.startColumn, f.secret === key])).toEqual([['chat.txt', 2, 19, false]]);
    const shown = await scanText(`DASHSCOPE_API_KEY=${key}`, { showSecret: true });
    expect(shown.findings.map((f) => [f.path, f.secret])).toEqual([['<text>', key]]);
  });
});

