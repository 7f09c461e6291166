/**
 * An error the user can fix: a bad flag, path, config or repository. The CLI prints its message as one line
 * and exits 2. Messages name the object first and say how to fix it.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Message of anything thrown, for collecting per-file errors without stack traces. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message.replace(/^[A-Z]+: /, '')}` : error.message;
  }
  return String(error);
}
