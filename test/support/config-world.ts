import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run';

/** A temporary folder with files, removed by `cleanup`. */
export class TempWorld {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-config-'));

  write(files: Record<string, string>): this {
    for (const [rel, text] of Object.entries(files)) {
      const abs = path.join(this.dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    return this;
  }

  writeJson(rel: string, value: unknown): this {
    return this.write({ [rel]: `${JSON.stringify(value, null, 2)}\n` });
  }

  path(rel = '.'): string {
    return path.join(this.dir, rel);
  }

  /** Real git, with identity and without the user's global config. */
  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.invalid',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.invalid',
      },
    });
  }

  initGit(): this {
    this.git('init', '-q', '-b', 'main');
    return this;
  }

  commitAll(message: string): this {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this;
  }

  /** The CLI in this folder (or `cwd` under it), with standard error collected. */
  run(argv: string[], cwd = '.') {
    return run(argv, { cwd: this.path(cwd), env: {} });
  }

  /** The CLI with --format json, parsed. */
  async json(argv: string[], cwd = '.') {
    const outcome = await this.run([...argv, '--format', 'json'], cwd);
    const report = outcome.stdout ? JSON.parse(outcome.stdout) : undefined;
    return { ...outcome, report };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
