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
