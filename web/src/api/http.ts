import type { ApiErrorBody } from '@lab/model';
import { replayAnswer } from '../replay/answers';
import { useLab } from '../store';
import { inWorkspace } from './base';

/** What the server answers on failure: ApiErrorBody, `{ error, path }` (path names the field, like `nodes.2.partitions`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly path?: string,
  ) {
    super(message);
  }
}

/**
 * Every call to the lab server. URLs are relative: the page and the API share an origin, which the server
 * requires of any request that changes state.
 */
export async function request<T>(method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown): Promise<T> {
  // A replay talks to no server: it answers from the recording and refuses every command (its controls are
  // hidden too), so nothing in a replay can change the lab.
  if (useLab.getState().timeMode === 'replay') return replayAnswer(method, url) as T;
  // A spotlight shows an attendee's lab on the projector: looking at it must never change it.
  if (useLab.getState().spotlight && method !== 'GET')
    throw new ApiError("The spotlight is read-only: nothing in an attendee's lab can be changed from here", 0);
  return requestAt<T>(method, inWorkspace(url), body);
}

/** A call to an absolute path of the server, outside any workspace (the classroom's API). */
export async function requestAt<T>(method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      // Every command is JSON, with or without a body: the server refuses anything else (CSRF).
      headers: method === 'GET' ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('The lab server cannot be reached: is it still running?', 0);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const { error, path } = (payload ?? {}) as Partial<Record<keyof ApiErrorBody, unknown>>;
    throw new ApiError(
      typeof error === 'string' ? error : `${method} ${url} failed (HTTP ${response.status})`,
      response.status,
      typeof path === 'string' ? path : undefined,
    );
  }
  return payload as T;
}
