import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Environment for git in tests: fixed identity and dates, no system config. */
export function gitTestEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Ada Tester',
    GIT_AUTHOR_EMAIL: 'ada@example.test',
    GIT_COMMITTER_NAME: 'Ada Tester',
    GIT_COMMITTER_EMAIL: 'ada@example.test',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

/** A real git repository in a temporary folder, built step by step by a test. */
export class TempRepo {
  readonly dir: string;
  private tick = 0;

  constructor(dir?: string, options: { bare?: boolean; init?: boolean } = {}) {
    this.dir = dir ?? realpathSync(mkdtempSync(path.join(os.tmpdir(), 'msl-git-')));
    if (options.init !== false) this.git('init', '-q', '-b', 'main', ...(options.bare ? ['--bare'] : []));
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Environment with the next commit date, so commits are ordered and reproducible. */
  env(): NodeJS.ProcessEnv {
    const date = `${1_700_000_000 + this.tick * 60} +0000`;
    return gitTestEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  }

  write(file: string, content: string | Buffer): this {
    const abs = path.join(this.dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return this;
  }

  remove(file: string): this {
    rmSync(path.join(this.dir, file), { force: true });
    return this;
  }

  /** Stages everything and commits; returns the new commit's id. */
  commit(message: string, ...extra: string[]): string {
    this.git('add', '-A');
    this.tick++;
    this.git('commit', '-q', '--no-verify', '--allow-empty', '-m', message, ...extra);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  executable(file: string): this {
    chmodSync(path.join(this.dir, file), 0o755);
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A maker of temporary repositories for the tests of one file: each (a new one, or `adopt`, made otherwise) is
 * removed after the test that asked for it.
 */
export function tempRepos(): (adopt?: TempRepo) => TempRepo {
  let made: TempRepo[] = [];
  afterEach(() => {
    made.forEach((r) => r.cleanup());
    made = [];
  });
  return (adopt) => {
    const r = adopt ?? new TempRepo();
    made.push(r);
    return r;
  };
}
