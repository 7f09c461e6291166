import { builtinRules } from '../../rules';
import { detectFragment, MAX_MATCHES_PER_LINE } from '../../src/detect/detect';
import { run } from '../../src/cli/run';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';

const gen = new KeyGenerator('budget');

describe('work budget of a piece', () => {
  it('stops a line with too many candidate keys, says where, and keeps the findings before it', () => {
    const ids = Array.from({ length: MAX_MATCHES_PER_LINE + 50 }, () => gen.accessKeyId());
    const text = `first line\n${ids.join(' ')}\nlast = "${gen.legacy()}"\n`;
    const outcome = detectFragment({ path: 'dense.txt', bytes: Buffer.from(text) }, builtinRules, { showSecret: true });
    const stopColumn = ids.slice(0, MAX_MATCHES_PER_LINE).join(' ').length + 2;
    expect(outcome.stopped).toEqual({ line: 2, column: stopColumn, lastLine: 3 });
    expect(outcome.findings.map((f) => f.secret)).toEqual(ids.slice(0, MAX_MATCHES_PER_LINE));
  });

  it('stops when the text read around candidates exceeds the budget', () => {
    const secrets = Array.from({ length: 400 }, () => `secret ${gen.accessKeySecret()}`);
    const text = secrets.join(' ');
    const outcome = detectFragment({ path: 'dense.txt', bytes: Buffer.from(text) }, builtinRules, { workBudget: 2 * 1024 * 1024 });
    expect(outcome.stopped?.line).toBe(1);
    expect(outcome.stopped?.column).toBeGreaterThan(1);
    expect(outcome.stopped?.column).toBeLessThan(text.length);
  });

  it('is a warning of the scan naming the file, and the other files are scanned whole', async () => {
    const key = gen.legacy();
    const ids = Array.from({ length: MAX_MATCHES_PER_LINE + 1 }, () => gen.accessKeyId()).join(' ');
    const tree = makeTree({ 'dense.txt': `${ids}\n`, 'app.env': `DASHSCOPE_API_KEY=${key}\n` }, 'budget');
    try {
      const outcome = await run(['scan', '.', '--format', 'json', '--no-ignore', '--no-config'], { cwd: tree.root });
      const report = JSON.parse(outcome.stdout);
      expect(report.warnings).toEqual([
        `dense.txt: too dense to scan whole (over 2,000 candidate keys on one line, or too much work in one piece of the file): scanned up to line 1, column ${ids.lastIndexOf('LTAI') + 1}; from there to the end of that line keys can be missed`,
      ]);
      expect(report.findings.filter((f: { path: string }) => f.path === 'app.env')).toHaveLength(1);
      expect(report.findings.filter((f: { path: string }) => f.path === 'dense.txt')).toHaveLength(MAX_MATCHES_PER_LINE);
    } finally {
      tree.remove();
    }
  });
});
