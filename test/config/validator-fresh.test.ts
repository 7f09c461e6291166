import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('the committed config validator (src/config/validate-config.ts)', () => {
  it('is what scripts/build-config-validator.js generates from the schema now (run npm run build:validator and commit it when this fails)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'msl-validator-'));
    try {
      const out = path.join(dir, 'validate-config.ts');
      execFileSync(process.execPath, [path.join(root, 'scripts', 'build-config-validator.js'), out], { stdio: 'pipe' });
      expect(readFileSync(path.join(root, 'src', 'config', 'validate-config.ts'), 'utf8') === readFileSync(out, 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs nothing at run time: no require or import (ajv is a devDependency)', () => {
    const code = readFileSync(path.join(root, 'src', 'config', 'validate-config.ts'), 'utf8');
    expect(code).not.toMatch(/\brequire\(|^import /m);
  });
});
