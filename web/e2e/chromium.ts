import { existsSync } from 'node:fs';

/**
 * The Chromium the tests drive: CHROMIUM_PATH, else the system's /usr/bin/chromium, else Playwright's own
 * download (`npx playwright install chromium`). The flags keep a headless Chromium from reaching out to
 * Google's services, which closed networks refuse (and which would only slow the tests).
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
