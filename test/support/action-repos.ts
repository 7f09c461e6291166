import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitTestEnv, TempRepo } from './git-repo';
import { KeyGenerator } from './keys';

/**
 * A small world for the action: a bare "origin", a developer clone that pushes `main` and a `feature` branch,
 * and checkouts made the way actions/checkout makes them (full, or shallow with depth 1).
 */
export class ActionWorld {
  readonly root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'msl-action-')));
  readonly origin: TempRepo;
  readonly dev: TempRepo;
  /** Tip of main before the feature branch. */
  mainTip: string;
  /** Commits of the feature branch, oldest first. */
  readonly feature: string[] = [];
  readonly key: string;

  constructor(gen: KeyGenerator) {
    this.key = gen.legacy();
    this.origin = new TempRepo(path.join(this.root, 'origin.git'), { init: false });
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', this.origin.dir], { env: gitTestEnv() });
    this.dev = new TempRepo(path.join(this.root, 'dev'), { init: false });
    execFileSync('git', ['clone', '-q', this.origin.dir, this.dev.dir], { env: gitTestEnv(), stdio: 'pipe' });
    this.dev.git('checkout', '-q', '-b', 'main');
    // A key already on main before the branch: a range scan of the branch must not report it.
    this.dev.write('README.md', '# app\n').write('legacy.env', `DASHSCOPE_API_KEY=${gen.legacy()}\n`).commit('init');
    this.mainTip = this.dev.write('app.py', 'print("hi")\n').commit('app');
    this.dev.git('push', '-q', 'origin', 'main');
  }

  /** Adds a commit on `feature` (created from main on first use) and pushes it. */
  featureCommit(file: string, text: string): string {
    const sha = this.commitOn('feature', { [file]: text }, `change ${file}`);
    this.feature.push(sha);
    return sha;
  }

  /**
   * Adds a commit on `branch` (created from main's tip on first use) writing `files` (null removes one), and pushes
   * it; leaves the developer clone on `branch`.
   */
  commitOn(branch: string, files: Record<string, string | null>, message: string): string {
    const exists = this.dev.git('branch', '--list', branch).trim() !== '';
    this.dev.git('checkout', '-q', ...(exists ? [branch] : ['-b', branch, this.mainTip]));
    for (const [file, text] of Object.entries(files)) {
      if (text === null) this.dev.remove(file);
      else this.dev.write(file, text);
    }
    const sha = this.dev.commit(message);
    this.dev.git('push', '-q', 'origin', branch);
    return sha;
  }

  /** A checkout like actions/checkout's: `fetch-depth: 0` (full) or the default depth 1 (shallow). */
  checkout(name: string, ref: string, depth?: number): string {
    const dir = path.join(this.root, name);
    const source = depth ? `file://${this.origin.dir}` : this.origin.dir;
    execFileSync('git', ['clone', '-q', ...(depth ? ['--depth', String(depth)] : []), '--branch', ref, source, dir], { env: gitTestEnv() });
    return dir;
  }

  /** Makes origin unreachable, so a shallow checkout cannot be deepened. */
  loseOrigin(): void {
    renameSync(this.origin.dir, `${this.origin.dir}-gone`);
  }

  file(name: string): string {
    return path.join(this.root, name);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const ZERO = '0'.repeat(40);

export function pullRequestEvent(base: string, head: string): Record<string, unknown> {
  return { action: 'opened', number: 1, pull_request: { number: 1, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } }, repository: { default_branch: 'main' } };
}

export function pushEvent(before: string, after: string, ref = 'refs/heads/feature'): Record<string, unknown> {
  return { ref, before, after, created: before === ZERO, deleted: after === ZERO, forced: false, repository: { default_branch: 'main' } };
}
