/** What a page was opened to replay: a recording on the lab server, or one built into an exported replay. */
export type ReplaySource = { id: string; atSeconds?: number } | { text: string; atSeconds?: number };

/** The global an exported replay's recording.js sets (a script, because file:// pages cannot fetch). */
export const EMBEDDED_RECORDING = 'LAB_RECORDING';

/** `#replay=<id>&t=<seconds>`: a shared moment of a recording. `t` alone applies to an embedded one. */
export function replayRequested(hash = location.hash): ReplaySource | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const t = Number(params.get('t'));
  const atSeconds = params.has('t') && Number.isFinite(t) && t >= 0 ? t : undefined;
  const embedded = (globalThis as Record<string, unknown>)[EMBEDDED_RECORDING];
  if (typeof embedded === 'string') return { text: embedded, atSeconds };
  const id = params.get('replay');
  if (id) return { id, atSeconds };
  return undefined;
}

/** A link that opens recording `id` at `seconds` from its start, on this page's lab. */
export function momentLink(id: string | undefined, seconds: number): string {
  const t = `t=${Math.max(0, Math.round(seconds * 10) / 10)}`;
  return `${location.origin === 'null' ? location.href.split('#')[0] : location.origin + location.pathname}#${id ? `replay=${encodeURIComponent(id)}&` : ''}${t}`;
}
