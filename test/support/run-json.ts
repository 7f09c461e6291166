import { run } from '../../src/cli/run';
import type { Finding } from '../../src/types';

export interface JsonRun {
  exitCode: number;
  stderr: string;
  findings: Finding[];
  warnings: string[];
  errors: { path: string; message: string }[];
  stats: { files: number; bytes: number };
}

/** Runs the CLI with --format json in `cwd` and parses the report (the findings are empty on errors). */
export async function runJson(argv: string[], cwd: string): Promise<JsonRun> {
  const outcome = await run([...argv, '--format', 'json'], { cwd });
  const doc = outcome.stdout ? JSON.parse(outcome.stdout) : { findings: [], warnings: [], errors: [], stats: { files: 0, bytes: 0 } };
  return { exitCode: outcome.exitCode, stderr: outcome.stderr, findings: doc.findings, warnings: doc.warnings, errors: doc.errors, stats: doc.stats };
}

/** `path:line` of each finding, in report order. */
export function places(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.path}:${f.startLine}`);
}
