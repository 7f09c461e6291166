import path from 'node:path';
import { run } from '../src/cli/run';

describe('the repository scans itself clean', () => {
  it('with its own CLI and .ms-leakscan.json: exit 0, zero findings', async () => {
    const root = path.join(__dirname, '..');
    const outcome = await run(['.', '--format', 'json'], { cwd: root, env: {} });
    const report = JSON.parse(outcome.stdout);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(report.stats.files).toBeGreaterThan(20);
  });
});
