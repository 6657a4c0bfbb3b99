import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a lab caller proves itself with on an instance's listener. */
export const SECRET_HEADER = 'x-lab-secret';

/** A new secret for each run: instances of a run accept only callers that were given it. */
export function newRunSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Whether a request on an instance's listener comes from the lab's own caller: the run's secret, the
 * listener's own Host (127.0.0.1:port, so a page reached through another name, as in DNS rebinding, is
 * refused), and no Origin (only browsers send one; a lab caller never does).
 */
export function isLabCaller(req: IncomingMessage, secret: string, ownHost: string): boolean {
  if (req.headers.origin !== undefined) return false;
  if (req.headers.host !== ownHost) return false;
  const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ''));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
