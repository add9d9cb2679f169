/**
 * Errors a user can cause (bad file, bad flag, bad request). The CLI prints
 * `message` on one line and exits with `exitCode`; it never prints a stack.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** True when `err` is a `UserError` (also across module copies). */
export function isUserError(err: unknown): err is UserError {
  return err instanceof Error && err.name === 'UserError' && typeof (err as UserError).exitCode === 'number';
}

/** The first line of an error's message, for one-line reports. */
export function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** A schema issue (zod's shape) as `field.path: message`, `(root)` for the whole value. */
export function issueLine(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
