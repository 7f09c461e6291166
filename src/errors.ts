/**
 * An error the user can fix: a bad flag, path, config or repository. The CLI prints its message as one line
 * and exits 2. Messages name the object first and say how to fix it.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Message of anything thrown, for collecting per-file errors without stack traces. */
export function describeError(error: unknown): string {
  // Duck-typed, not `instanceof Error`: errors from another realm (a vm context, a test runner) are objects too.
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const { code, message } = error as NodeJS.ErrnoException;
    return code ? `${code}: ${message.replace(/^[A-Z]+: /, '')}` : message;
  }
  return String(error);
}
