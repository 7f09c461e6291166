import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from 'sarif';
import { ActionWorld, pullRequestEvent, pushEvent, ZERO } from '../support/action-repos';
import { KeyGenerator } from '../support/keys';
import { validateSarif } from '../support/sarif-validator';
import { testToolPath } from '../support/tools';

/**
 * End to end, the way GitHub runs the action: @github/local-action loads action.yml, applies its input defaults,
 * stubs @actions/core and runs the action's run() against a checkout and an event payload. The committed bundle
 * is run the same way GitHub's runner would (node dist-action/index.js with GITHUB_* variables) for one case.
 */
const root = path.resolve(__dirname, '../..');
const localAction = testToolPath('@github', 'local-action', 'bin', 'local-action.js');
const gen = new KeyGenerator('local-action');

interface Run {
  stdout: string;
  /** Outputs as the action set them. */
  outputs: Record<string, string>;
  /** `::error::` without properties: the step failed (core.setFailed). */
  failed?: string;
  /** Annotations: `::error file=…` and the like. */
  annotations: string[];
  /** Annotations without a file (`::error title=…::`, `::notice title=…::`). */
  plainAnnotations: string[];
  summary: string;
  sarif?: string;
  checkout: string;
}

/** An environment without the test runner's own GITHUB_* or INPUT_* variables. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [k, v] of Object.entries(process.env)) if (!/^(GITHUB_|INPUT_|RUNNER_)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function parse(stdout: string, checkout: string, summaryFile: string, outputFile?: string): Run {
  const lines = stdout.split('\n').map((l) => l.trim());
  const outputs: Record<string, string> = {};
  for (const l of lines) {
    const m = /^::set-output name=([\w-]+)::(.*)$/.exec(l);
    if (m) outputs[m[1]] = m[2];
  }
  if (outputFile && existsSync(outputFile)) {
    // The runner's file protocol: name<<DELIMITER, value, DELIMITER.
    for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  }
  const sarifFile = outputs['sarif-file'];
  return {
    stdout,
    outputs,
    failed: lines.find((l) => l.startsWith('::error::'))?.slice('::error::'.length),
    annotations: lines.filter((l) => /^::(error|warning|notice) [^:]*file=/.test(l)),
    plainAnnotations: lines.filter((l) => /^::(error|warning|notice) /.test(l) && !/^::(error|warning|notice) [^:]*file=/.test(l)),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
    ...(sarifFile && existsSync(sarifFile) ? { sarif: sarifFile } : {}),
    checkout,
  };
}

function spawn(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function eventFiles(world: ActionWorld, name: string, payload: Record<string, unknown>) {
  const event = world.file(`${name}.event.json`);
  const summary = world.file(`${name}.summary.md`);
  writeFileSync(event, JSON.stringify(payload));
  writeFileSync(summary, '');
  return { event, summary };
}

/** `local-action run <action dir> src/action/main.ts <env file>` with an event payload and inputs beyond the defaults. */
async function runLocalAction(
  world: ActionWorld,
  name: string,
  checkout: string,
  eventName: string,
  payload: Record<string, unknown>,
  inputs: Record<string, string> = {},
): Promise<Run> {
  const { event, summary } = eventFiles(world, name, payload);
  const envFile = world.file(`${name}.env`);
  writeFileSync(
    envFile,
    [
      `GITHUB_WORKSPACE=${checkout}`,
      `GITHUB_EVENT_NAME=${eventName}`,
      `GITHUB_EVENT_PATH=${event}`,
      `GITHUB_STEP_SUMMARY=${summary}`,
      'ACTIONS_STEP_DEBUG=false',
      ...Object.entries(inputs).map(([input, value]) => `INPUT_${input.toUpperCase()}=${value}`),
      '',
    ].join('\n'),
  );
  // local-action starts itself with `npm exec tsx` and stubs the @actions/core that `npm ls` finds, both from the
  // project of the current folder: this one (tsx is a devDependency for that reason).
  const stdout = await spawn(process.execPath, [localAction, 'run', root, 'src/action/main.ts', envFile], cleanEnv({}));
  return parse(stdout, checkout, summary);
}

/** The committed bundle, as GitHub's runner starts it: INPUT_* (with action.yml's defaults) and GITHUB_* variables. */
async function runBundle(world: ActionWorld, name: string, checkout: string, eventName: string, payload: Record<string, unknown>): Promise<Run> {
  const { event, summary } = eventFiles(world, name, payload);
  const output = world.file(`${name}.output`);
  writeFileSync(output, '');
  const inputs = {
    'INPUT_PATH': '.',
    'INPUT_MODE': 'auto',
    'INPUT_FAIL-LEVEL': 'warning',
    'INPUT_SARIF-FILE': 'ms-leakscan.sarif',
    'INPUT_CONFIG': '',
    'INPUT_BASELINE': '',
    'INPUT_INLINE-ALLOW': 'auto',
  };
  const env = cleanEnv({ ...inputs, GITHUB_WORKSPACE: checkout, GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: event, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
  let stdout: string;
  try {
    stdout = await spawn(process.execPath, [path.join(root, 'dist-action', 'index.js')], { ...env, PWD: checkout });
  } catch (error) {
    // A failed step exits 1; its output is what we check.
    stdout = (error as Error).message;
  }
  return parse(stdout, checkout, summary, output);
}

describe('the action, run by @github/local-action', () => {
  let world: ActionWorld;
  const runs: Record<string, Run> = {};
  let keyCommit: string;
  let cleanCommit: string;
  /** `leak-removed`: a commit adds the key, the next one removes it again (the head is clean). */
  let leakCommit: string;
  let unleakCommit: string;
  let selfAllowCommit: string;
  let allowCommentCommit: string;
  /** `message-key`: a commit whose files are clean but whose message holds the key (issue 13). */
  let messageKeyCommit: string;
  const client = (line: string) => `# https://dashscope.aliyuncs.com/compatible-mode/v1\n${line}\n`;

  beforeAll(async () => {
    world = new ActionWorld(gen);
    keyCommit = world.featureCommit('src/client.py', client(`DASHSCOPE_API_KEY = "${world.key}"`));
    cleanCommit = world.featureCommit('docs/notes.md', 'notes\n');
    leakCommit = world.commitOn('leak-removed', { 'src/client.py': client(`DASHSCOPE_API_KEY = "${world.key}"`) }, 'add the client');
    unleakCommit = world.commitOn('leak-removed', { 'src/client.py': client('DASHSCOPE_API_KEY = os.environ["DASHSCOPE_API_KEY"]') }, 'read the key from the environment');
    selfAllowCommit = world.commitOn(
      'self-allow',
      { 'src/client.py': client(`DASHSCOPE_API_KEY = "${world.key}"`), '.ms-leakscan.json': JSON.stringify({ allowPaths: ['**'] }) },
      'add the client and a config that allows every path',
    );
    allowCommentCommit = world.commitOn('allow-comment', { 'src/client.py': client(`DASHSCOPE_API_KEY = "${world.key}"  # ms-leakscan:allow`) }, 'add the client, allowed');
    messageKeyCommit = world.commitOn('message-key', { 'docs/setup.md': 'Set DASHSCOPE_API_KEY in the environment.\n' }, `document the setup\n\nfor the demo: DASHSCOPE_API_KEY=${world.key}\n`);
    const full = (name: string, branch = 'feature') => world.checkout(name, branch);
    const cases: [string, () => Promise<Run>][] = [
      ['pr-leak-removed', () => runLocalAction(world, 'pr-leak-removed', full('pr-leak-removed', 'leak-removed'), 'pull_request', pullRequestEvent(world.mainTip, unleakCommit))],
      ['push-leak-removed', () => runLocalAction(world, 'push-leak-removed', full('push-leak-removed', 'leak-removed'), 'push', pushEvent(world.mainTip, unleakCommit, 'refs/heads/leak-removed'))],
      ['pr-self-allow', () => runLocalAction(world, 'pr-self-allow', full('pr-self-allow', 'self-allow'), 'pull_request', pullRequestEvent(world.mainTip, selfAllowCommit))],
      ['pr-allow-comment', () => runLocalAction(world, 'pr-allow-comment', full('pr-allow-comment', 'allow-comment'), 'pull_request', pullRequestEvent(world.mainTip, allowCommentCommit))],
      [
        'pr-allow-comment-honoured',
        () =>
          runLocalAction(world, 'pr-allow-comment-honoured', full('pr-allow-comment-honoured', 'allow-comment'), 'pull_request', pullRequestEvent(world.mainTip, allowCommentCommit), {
            'inline-allow': 'true',
          }),
      ],
      [
        'pr-config-path',
        () =>
          runLocalAction(world, 'pr-config-path', full('pr-config-path', 'self-allow'), 'pull_request', pullRequestEvent(world.mainTip, selfAllowCommit), {
            config: '.ms-leakscan.json',
          }),
      ],
      ['pr-message-key', () => runLocalAction(world, 'pr-message-key', full('pr-message-key', 'message-key'), 'pull_request', pullRequestEvent(world.mainTip, messageKeyCommit))],
      ['pr-with-key', () => runLocalAction(world, 'pr-with-key', full('pr-with-key'), 'pull_request', pullRequestEvent(world.mainTip, cleanCommit))],
      ['pr-clean', () => runLocalAction(world, 'pr-clean', full('pr-clean'), 'pull_request', pullRequestEvent(keyCommit, cleanCommit))],
      ['push', () => runLocalAction(world, 'push', full('push'), 'push', pushEvent(world.mainTip, keyCommit))],
      ['new-branch', () => runLocalAction(world, 'new-branch', full('new-branch'), 'push', pushEvent(ZERO, cleanCommit))],
      ['shallow', () => runLocalAction(world, 'shallow', world.checkout('shallow', 'feature', 1), 'pull_request', pullRequestEvent(world.mainTip, cleanCommit))],
      ['bundle-pr', () => runBundle(world, 'bundle-pr', full('bundle-pr'), 'pull_request', pullRequestEvent(world.mainTip, cleanCommit))],
    ];
    // Two at a time: the runs are independent, and the machine is shared.
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const done = await Promise.all(batch.map(([, go]) => go()));
      batch.forEach(([name], j) => (runs[name] = done[j]));
    }
  }, 300_000);
  afterAll(() => world?.cleanup());

  const annotation = () =>
    new RegExp(
      `^::error title=Alibaba Cloud Model Studio API key, region China \\(Beijing\\),file=src/client\\.py,line=2,endLine=2,col=22,endColumn=57::` +
        'Alibaba Cloud Model Studio API key, region China \\(Beijing\\)\\. Committed in [0-9a-f]{12} by Ada Tester on ',
    );

  function expectKeyFound(run: Run): void {
    expect(run.failed).toBe('ms-leakscan found 1 key(s) at or above warning: rotate each one in its console (see the annotations), then remove it from the code');
    expect(run.annotations).toEqual([expect.stringMatching(annotation())]);
    expect(run.outputs).toEqual({ findings: '1', 'sarif-file': path.join(run.checkout, 'ms-leakscan.sarif') });
    expect(run.stdout).not.toContain(world.key);
    expect(run.summary).toContain('| error | `src/client.py` | 2 | `sk-');
    expect(run.summary).not.toContain(world.key);
    expectValidSarif(run, ['src/client.py']);
  }

  function expectValidSarif(run: Run, uris: string[]): void {
    expect(run.sarif).toBeDefined();
    const verdict = validateSarif(run.sarif!);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
    const log = JSON.parse(readFileSync(run.sarif!, 'utf8')) as Log;
    expect(log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri)).toEqual(uris);
    expect(readFileSync(run.sarif!, 'utf8')).not.toContain(world.key);
  }

  it('a pull request adding a key fails, with an annotation on the line and valid SARIF', () => {
    expectKeyFound(runs['pr-with-key']);
    expect(runs['pr-with-key'].stdout).toContain(
      `ms-leakscan: pull request: every commit from ${world.mainTip.slice(0, 12)} to ${cleanCommit.slice(0, 12)} and the lines they add, with the policy of ${world.mainTip.slice(0, 12)}`,
    );
  });

  it('a pull request without keys passes (the key already on main is not its business)', () => {
    const run = runs['pr-clean'];
    expect(run.failed).toBeUndefined();
    expect(run.annotations).toEqual([]);
    expect(run.outputs.findings).toBe('0');
    expect(run.summary).toContain('**No finding at or above warning.**');
    expectValidSarif(run, []);
  });

  it('a push adding a key fails', () => {
    expectKeyFound(runs.push);
    expect(runs.push.stdout).toContain(`ms-leakscan: push: every commit from ${world.mainTip.slice(0, 12)} to ${keyCommit.slice(0, 12)}`);
  });

  it('a new branch (all-zero before) is scanned from its merge base with the default branch', () => {
    expectKeyFound(runs['new-branch']);
    expect(runs['new-branch'].stdout).toContain(`ms-leakscan: new branch: every commit from ${world.mainTip.slice(0, 12)} to ${cleanCommit.slice(0, 12)}`);
  });

  it('a shallow clone (fetch-depth 1) is deepened and scanned', () => {
    expectKeyFound(runs.shallow);
  });

  it('the committed bundle behaves the same under node with GITHUB_* variables', () => {
    const run = runs['bundle-pr'];
    expect(run.failed).toMatch(/^ms-leakscan found 1 key\(s\) at or above warning/);
    // @actions/core escapes `,` and `:` in property values, as the runner expects.
    expect(run.annotations).toEqual([expect.stringMatching(/^::error title=Alibaba Cloud Model Studio API key%2C region China \(Beijing\),file=src\/client\.py,line=2,endLine=2,col=22,endColumn=57::/)]);
    expect(run.outputs).toEqual({ 'sarif-file': path.join(run.checkout, 'ms-leakscan.sarif'), findings: '1' });
    expectValidSarif(run, ['src/client.py']);
  });

  /** The key of `leak-removed`: found in the commit that added it, though the head no longer has it. */
  function expectRemovedKeyFound(run: Run): void {
    expect(run.failed).toBe('ms-leakscan found 1 key(s) at or above warning: rotate each one in its console (see the annotations), then remove it from the code');
    expect(run.annotations).toEqual([]);
    expect(run.plainAnnotations).toEqual([
      expect.stringMatching(
        new RegExp(
          '^::error title=Alibaba Cloud Model Studio API key, region China \\(Beijing\\)::' +
            `src/client\\.py line 2 of commit ${leakCommit.slice(0, 12)} \\(a later commit removed it; it stays public in that commit\\): `,
        ),
      ),
    ]);
    expect(run.summary).toContain(`| error | \`src/client.py\` (removed by a later commit) | 2 | \`sk-`);
    expect(run.summary).toContain(`\`${leakCommit.slice(0, 12)}\``);
    expect(run.stdout).not.toContain(world.key);
    expect(run.summary).not.toContain(world.key);
    expectValidSarif(run, ['src/client.py']);
    const [result] = (JSON.parse(readFileSync(run.sarif!, 'utf8')) as Log).runs[0].results!;
    expect(result.properties).toMatchObject({ notInHead: true, commit: { sha: leakCommit } });
  }

  it('a pull request that adds a key and removes it in a later commit fails, pointing at the commit that added it', () => {
    expectRemovedKeyFound(runs['pr-leak-removed']);
  });

  it('a push of several commits that adds a key and removes it again fails', () => {
    expectRemovedKeyFound(runs['push-leak-removed']);
  });

  it('a pull request that adds a key and a config allowing it is checked with the base\'s policy, and told its config applies after merge', () => {
    const run = runs['pr-self-allow'];
    expectKeyFound(run);
    const notice = `policy: the scanned change edits .ms-leakscan.json; this scan used the config and baseline of ${world.mainTip.slice(0, 12)} (--policy-from), and the change applies once it is merged.`;
    expect(run.plainAnnotations).toContain(`::notice title=ms-leakscan::${notice}`);
    expect(run.summary).toContain(`> ${notice}`);
  });

  it('a pull request whose commit message holds a key fails, the annotation and summary naming the commit, never a file', () => {
    const run = runs['pr-message-key'];
    expect(run.failed).toBe('ms-leakscan found 1 key(s) at or above warning: rotate each one in its console (see the annotations), then remove it from the code');
    expect(run.annotations).toEqual([]);
    expect(run.plainAnnotations).toEqual([expect.stringMatching(new RegExp(`^::(error|warning) title=[^:]*::message of commit ${messageKeyCommit.slice(0, 12)}, line 3: `))]);
    expect(run.summary).toMatch(new RegExp(`\\| (error|warning) \\| commit message \\| 3 \\| \`sk-[^|]*\\| [^|]*\\| \`${messageKeyCommit.slice(0, 12)}\` \\|`));
    expect(run.stdout).not.toContain(world.key);
    expect(run.summary).not.toContain(world.key);
    expect(run.sarif).toBeDefined();
    const verdict = validateSarif(run.sarif!);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: [], warnings: [] });
    const [result] = (JSON.parse(readFileSync(run.sarif!, 'utf8')) as Log).runs[0].results!;
    expect(result.locations).toEqual([
      expect.objectContaining({
        physicalLocation: expect.objectContaining({ artifactLocation: { uri: `.git/commit-message/${messageKeyCommit}` } }),
        logicalLocations: [expect.objectContaining({ name: messageKeyCommit })],
      }),
    ]);
    expect(readFileSync(run.sarif!, 'utf8')).not.toContain(world.key);
  });

  it('a pull request that adds a key with an allow comment on it still fails (inline-allow auto)', () => {
    const run = runs['pr-allow-comment'];
    expect(run.failed).toMatch(/^ms-leakscan found 1 key\(s\) at or above warning/);
    expect(run.annotations).toEqual([expect.stringMatching(/^::error title=Alibaba Cloud Model Studio API key[^:]*,file=src\/client\.py,line=2,/)]);
  });

  it('inline-allow: true lets the workflow owner honour allow comments in pull requests', () => {
    const run = runs['pr-allow-comment-honoured'];
    expect(run.failed).toBeUndefined();
    expect(run.outputs.findings).toBe('0');
  });

  it('config: a path inside the repository is read from the base commit, not from the pull request\'s checkout', () => {
    expect(runs['pr-config-path'].failed).toMatch(
      new RegExp(`^ms-leakscan: config ${world.mainTip.slice(0, 12)}:\\.ms-leakscan\\.json: commit ${world.mainTip.slice(0, 12)} \\(--policy-from\\) has no such file`),
    );
  });
});
