/** An error that becomes an HTTP answer `{ error }` with its status. */
export class HttpError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 405 | 409 | 422 | 500, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}
