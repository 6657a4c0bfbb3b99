import { cookieValue } from '../security.js';
import { isApiUrl } from '../workspaces/names.js';
import { ATTENDEE_COOKIE, type Attendee, type Room } from './room.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** In a classroom, the attendee a request comes from (undefined: the instructor, or no classroom). */
    attendee: Attendee | undefined;
  }
}

/** What a request without the instructor's token may do in a classroom. */
export type Admission =
  | { let: true; attendee?: Attendee }
  | { status: 401 | 403; error: string; path: 'classroom' }
  | { redirect: string };

export const JOIN_PAGE = '/join';
/** What anyone may call: joining. */
const PUBLIC_API = new Set(['POST /api/classroom/join']);
/** What an attendee may call outside their workspace: their own notices and help request, and the server's health. */
const ATTENDEE_API = /^(GET|POST) \/api\/(classroom\/me(\/help)?|health)$/;

/**
 * Deny by default. The instructor (the access token) passed before this is asked. An attendee (their cookie)
 * reaches `/w/<anything>/` here, and the workspace scope then lets them into their own only (it compares the
 * name the router decoded, so an encoded or odd spelling cannot slip past); plus the join flow, their notices
 * and help, and the web app's files. Anyone else gets the app's files and the join page; a page elsewhere
 * sends them to the join page, an API call answers 401.
 */
export function admit(room: Room, request: { method: string; url: string; cookie: string | undefined }): Admission {
  const path = request.url.split('?')[0]!;
  const secret = cookieValue(request.cookie, ATTENDEE_COOKIE);
  const attendee = room.bySecret(secret);
  const api = isApiUrl(path);
  const page = !api && (request.method === 'GET' || request.method === 'HEAD');
  const file = page && /\.[a-z0-9]+$/i.test(path);
  if (file) return { let: true, attendee };
  if (PUBLIC_API.has(`${request.method} ${path}`)) return { let: true, attendee };
  if (!attendee) {
    if (page) return path === JOIN_PAGE ? { let: true } : { redirect: JOIN_PAGE };
    return {
      status: 401,
      error: room.wasRemoved(secret)
        ? 'The instructor removed you from this room: join again with the room code'
        : `Join the room first: open ${JOIN_PAGE} and enter the room code the instructor shows (instructor: open the URL printed at start, it ends in ?token=…)`,
      path: 'classroom',
    };
  }
  const own = `/w/${attendee.id}`;
  if (page)
    return path === JOIN_PAGE || path === own || path.startsWith(`${own}/`)
      ? { let: true, attendee }
      : { redirect: `${own}/` };
  if (/^\/w\/[^/]+\//.test(path) || ATTENDEE_API.test(`${request.method} ${path}`)) return { let: true, attendee };
  return {
    status: 403,
    error: `Attendees use their own workspace only (${own}/): this is for the instructor`,
    path: 'classroom',
  };
}
