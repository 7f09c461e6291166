import path from 'node:path';
import { run } from '../../src/cli/run';
import { TempRepo } from '../support/git-repo';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';

const gen = new KeyGenerator('yaml-config');

/** A world with a key in fixtures/ and one in app.env, and the given config files. */
function world(config: Record<string, string>) {
  const secret = gen.legacy();
  const other = gen.legacy();
  return {
    secret,
    ...makeTree({ 'fixtures/sample.env': `DASHSCOPE_API_KEY=${secret}\n`, 'app.env': `DASHSCOPE_API_KEY=${other}\n`, ...config }, 'yaml'),
  };
}

describe('YAML config files', () => {
  it.each(['.ms-leakscan.yml', '.ms-leakscan.yaml'])('%s applies the same schema as .ms-leakscan.json', async (name) => {
    const yaml = world({ [name]: '# paths are relative to this folder\nallowPaths:\n  - fixtures/**\nfailLevel: error\n' });
    const json = world({ '.ms-leakscan.json': JSON.stringify({ allowPaths: ['fixtures/**'], failLevel: 'error' }) });
    try {
      const fromYaml = await run(['scan', '--format', 'json', '.'], { cwd: yaml.root });
      const fromJson = await run(['scan', '--format', 'json', '.'], { cwd: json.root });
      const paths = (out: string) => (JSON.parse(out) as { findings: { path: string }[] }).findings.map((f) => f.path);
      expect(paths(fromYaml.stdout)).toEqual(['app.env']);
      expect(paths(fromJson.stdout)).toEqual(['app.env']);
      expect(fromYaml.exitCode).toBe(fromJson.exitCode);
    } finally {
      yaml.remove();
      json.remove();
    }
  });

  it('an empty YAML file (or comments only) configures nothing', async () => {
    const w = world({ '.ms-leakscan.yml': '# nothing yet\n' });
    try {
      const outcome = await run(['scan', '-q', '--format', 'json', '.'], { cwd: w.root });
      expect(JSON.parse(outcome.stdout).findings).toHaveLength(2);
    } finally {
      w.remove();
    }
  });

  it.each([
    ['a schema problem, named by field', 'failLevel: high\n', /^ms-leakscan: config \.ms-leakscan\.yml: failLevel: must be one of "error", "warning", "note", not "high"\n$/],
    ['a syntax error, with line and column', 'allowPaths:\n  - a\n b: c\n', /^ms-leakscan: config \.ms-leakscan\.yml: not valid YAML: .* \(line 3, column \d+\) — fix the syntax \(or write the config as JSON\)\n$/],
    ['a duplicate key', 'failLevel: error\nfailLevel: note\n', /^ms-leakscan: config \.ms-leakscan\.yml: not valid YAML: Map keys must be unique \(line 2, column 1\) — /],
    ['two documents', 'failLevel: error\n---\nfailLevel: note\n', /not valid YAML: it holds more than one YAML document \(---\)/],
    ['a custom tag (no types beyond the core schema)', 'maxFileSize: !!js/function "x"\n', /^ms-leakscan: config \.ms-leakscan\.yml: /],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`, /^ms-leakscan: config \.ms-leakscan\.yml: not valid YAML: /],
  ])('%s: one line, exit 2', async (_name, text, expected) => {
    const w = world({ '.ms-leakscan.yml': text });
    try {
      const outcome = await run(['scan', '.'], { cwd: w.root });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toMatch(expected);
      expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      w.remove();
    }
  });

  it('never quotes a key from a broken YAML config', async () => {
    const w = world({});
    const bad = `allowSecrets:\n  stopwords: [${w.secret}\n`;
    w.remove();
    const v = world({ '.ms-leakscan.yml': bad });
    try {
      const outcome = await run(['scan', '.'], { cwd: v.root });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).not.toContain(w.secret);
      expect(outcome.stderr).not.toContain(w.secret.slice(3, 20));
    } finally {
      v.remove();
    }
  });

  it('two config files in one folder is an error naming both', async () => {
    const w = world({ '.ms-leakscan.json': '{}', '.ms-leakscan.yml': 'failLevel: error\n' });
    try {
      const outcome = await run(['scan', '.'], { cwd: w.root });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toBe(
        `ms-leakscan: config: ${path.join(w.root, '.ms-leakscan.json')} and ${path.join(w.root, '.ms-leakscan.yml')} are both config files of one folder — keep one of them (delete or merge the other)\n`,
      );
    } finally {
      w.remove();
    }
  });

  it('a YAML config in a nearer folder wins over a JSON one above it', async () => {
    const w = world({ '.ms-leakscan.json': JSON.stringify({ failLevel: 'note' }), 'sub/.ms-leakscan.yml': 'allowPaths: ["*.env"]\n', 'sub/app.env': `K=${gen.legacy()}\n` });
    try {
      expect((await run(['scan', '.'], { cwd: path.join(w.root, 'sub') })).exitCode).toBe(0);
    } finally {
      w.remove();
    }
  });

  it('--policy-from reads a .ms-leakscan.yml from the commit, not the one on disk', async () => {
    const r = new TempRepo();
    try {
      r.write('.ms-leakscan.yml', 'allowPaths: [fixtures/**]\n').write('fixtures/a.env', `K=${gen.legacy()}\n`);
      const base = r.commit('policy');
      r.write('.ms-leakscan.yml', 'failLevel: note\n');
      const fromCommit = await run(['scan', '--policy-from', base, '.'], { cwd: r.dir });
      expect(fromCommit.exitCode).toBe(0);
      expect((await run(['scan', '.'], { cwd: r.dir })).exitCode).toBe(1);
      r.write('.ms-leakscan.json', '{}');
      const both = r.commit('two configs');
      const refused = await run(['scan', '--policy-from', both, '.'], { cwd: r.dir });
      expect(refused.stderr).toMatch(/are both config files of one folder/);
      expect(refused.exitCode).toBe(2);
    } finally {
      r.cleanup();
    }
  });
});
