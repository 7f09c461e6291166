import { execFileSync } from 'node:child_process';
import { testToolPath } from './tools';

/**
 * Microsoft's SARIF Multitool, called as its platform binary: the npm wrapper passes arguments through a shell,
 * where the `;` of `Gh;Sarif` ends the command. Installed (and made executable) by scripts/test-tools.js.
 */
export function multitoolPath(): string {
  return testToolPath('@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
}

export interface Verdict {
  errors: string[];
  warnings: string[];
  /** The validator's whole console output, for failure messages. */
  output: string;
}

/** Validates one SARIF file with the GitHub and SARIF rule sets (`--rule-kind "Gh;Sarif"`). */
export function validateSarif(file: string): Verdict {
  let output: string;
  try {
    output = execFileSync(multitoolPath(), ['validate', '--rule-kind', 'Gh;Sarif', file], {
      encoding: 'utf8',
      // The self-contained .NET binary needs no ICU for this.
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    output = `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
  const lines = output.split('\n');
  const errors = lines.filter((l) => /: error [A-Z]+\d+/.test(l) || /\berror ERR\d+/.test(l));
  const warnings = lines.filter((l) => /: warning [A-Z]+\d+/.test(l));
  if (!/Analysis completed successfully/.test(output)) errors.push('validator did not complete');
  return { errors, warnings, output };
}
