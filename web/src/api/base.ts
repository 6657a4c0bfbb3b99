/**
 * The workspace this page belongs to. A page at `/w/<name>/…` is a named workspace on a shared server and
 * talks to `/w/<name>/api/…` and `/w/<name>/live`; the default lab (and a replay opened from a file) to
 * `/api/…`. The name's rule is the server's (server/src/workspaces/names.ts).
 */
export function workspaceBase(pathname: string = globalThis.location?.pathname ?? '/'): string {
  return /^\/w\/[a-z0-9][a-z0-9-]{0,31}(?=\/|$)/.exec(pathname)?.[0] ?? '';
}

/** An absolute API path (`/api/…`, `/live`) in this page's workspace. */
export const inWorkspace = (path: string): string => `${workspaceBase()}${path}`;
