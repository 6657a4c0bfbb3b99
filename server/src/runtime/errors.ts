/** A command the runtime refuses, with the HTTP status that says why (404 unknown, 409 wrong state…). */
export class RuntimeError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}
