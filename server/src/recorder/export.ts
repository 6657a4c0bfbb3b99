import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The one-page web app that plays an embedded recording (built by web/vite.replay.config.ts). */
export const REPLAY_TEMPLATE = fileURLToPath(new URL('../../../web/dist-replay/replay.html', import.meta.url));
const PLACEHOLDER = '<!--LAB_RECORDING-->';

/**
 * A self-contained replay: the web app with the recording in it, one HTML file that plays from file:// or any
 * static host with no server and no Kafka. The recording is a JSON string in a classic script; every `<` is
 * escaped so no text in it can end the script early.
 */
export function replayPage(recording: string, template = REPLAY_TEMPLATE): string {
  if (!existsSync(template)) {
    throw new Error('The replay page is not built: run `npm run build` (it builds web/dist-replay/replay.html)');
  }
  const html = readFileSync(template, 'utf8');
  if (!html.includes(PLACEHOLDER)) throw new Error(`${template} has no place for a recording: rebuild the web app`);
  const script = `<script>window.LAB_RECORDING = ${JSON.stringify(recording).replaceAll('<', '\\u003c')};</script>`;
  return html.replace(PLACEHOLDER, () => script);
}
