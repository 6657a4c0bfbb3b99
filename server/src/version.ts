import { readFileSync } from 'node:fs';

/** The lab's version, from the root package.json (same relative place from src/ and dist/). */
export const LAB_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
