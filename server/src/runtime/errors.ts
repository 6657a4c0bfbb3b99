/** The runtime's refusals are the app's one error type (see ../errors.ts); this name stays for its callers. */
export { AppError as RuntimeError } from '../errors.js';
