/**
 * A failure a newcomer can hit and fix: its message is one line that says what is wrong and what to do.
 * The process entry prints it alone (no stack) and exits non-zero.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
