import { TempRepo } from './support/git-repo';
import { KeyGenerator } from './support/keys';
import { runJson } from './support/run-json';

const gen = new KeyGenerator('git-config');
const envLine = (): string => `DASHSCOPE_API_KEY=${gen.legacy()}\n`;

/** The config file applies to every git source alike: excluded paths and maxFileSize. */
describe.each([
  ['staged', (r: TempRepo) => r.git('add', '-A'), () => ['staged']],
  ['history', (r: TempRepo) => r.commit('keys'), () => ['history']],
  ['diff', (r: TempRepo) => r.commit('keys'), (base: string) => ['diff', '--base', base, '--head', 'HEAD']],
])('%s with a config file', (_name, record, argv) => {
  it('leaves out allowPaths and files over maxFileSize, and warns about the latter', async () => {
    const r = new TempRepo();
    try {
      r.write('.ms-leakscan.json', JSON.stringify({ maxFileSize: 200, allowPaths: ['vendor/**'] })).write('README.md', '# x\n');
      const base = r.commit('config');
      r.write('small.env', envLine()).write('vendor/lib.env', envLine()).write('big.env', `${envLine()}${'#'.repeat(300)}\n`);
      record(r);
      const outcome = await runJson(argv(base), r.dir);
      expect(outcome.findings.map((f) => f.path)).toEqual(['small.env']);
      expect(outcome.warnings).toEqual(['1 file(s) larger than maxFileSize (200 bytes) not scanned: big.env — raise maxFileSize in the config to scan them']);
    } finally {
      r.cleanup();
    }
  });
});
