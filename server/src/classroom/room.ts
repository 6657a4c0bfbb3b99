import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { ClassNotice } from '@lab/model';
import { AppError } from '../errors.js';

export type Notice = ClassNotice;

export interface Attendee {
  /** Also the name of their workspace (`/w/<id>/`). */
  id: string;
  name: string;
  joinedAt: number;
  /** Set while they ask for help (from the guide), cleared by them or when the instructor answers with a hint. */
  helpSince?: number;
  notices: Notice[];
}

export interface RoomOptions {
  /** Attendees at once (CLASSROOM_MAX_ATTENDEES). */
  maxAttendees: number;
  /** The room code; a random one when unset. */
  code?: string;
  /** Join attempts one address may make per minute: a room code cannot be guessed by trying. */
  joinsPerMinute?: number;
  now?: () => number;
}

/** Letters and digits that cannot be misread when copied from a projector (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
export const NAME_MAX = 40;
export const NOTICE_MAX = 500;
/** Notices kept per attendee (the newest): a broadcast flood cannot grow the server without bound. */
const NOTICES_KEPT = 50;
/** Removed attendees remembered, so a removed browser is told why rather than asked to join. */
const REMOVED_KEPT = 1000;
const ADDRESSES_KEPT = 10_000;

export const ATTENDEE_COOKIE = 'lab_attendee';

/**
 * A classroom: its room code, its attendees and what the instructor sent them. Each attendee holds a secret
 * (their HttpOnly cookie) that names them and so their workspace; nothing in a URL or a name grants access.
 */
export class Room {
  readonly code: string;
  private readonly attendees = new Map<string, Attendee>();
  /** Cookie secret -> attendee id. */
  private readonly secrets = new Map<string, string>();
  private readonly removed = new Set<string>();
  private readonly attempts = new Map<string, number[]>();
  private seq = 0;
  private readonly now: () => number;

  constructor(private readonly options: RoomOptions) {
    this.code =
      options.code ??
      Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    this.now = options.now ?? Date.now;
  }

  get maxAttendees(): number {
    return this.options.maxAttendees;
  }

  /**
   * Checks a join (rate, code, name, room size) and reserves the attendee; `create` makes their workspace
   * (and may refuse: the server's own limits), only then is the attendee admitted. Answers the cookie secret.
   */
  join(
    input: { code: string; name: string; address: string },
    create: (id: string) => void,
  ): { attendee: Attendee; secret: string } {
    this.countAttempt(input.address);
    if (!sameCode(input.code, this.code))
      throw new AppError(403, 'Wrong room code: check the code the instructor shows (6 letters and digits)', 'code');
    const name = checkDisplayName(input.name);
    const key = nameKey(name);
    if ([...this.attendees.values()].some((a) => nameKey(a.name) === key))
      throw new AppError(409, `"${name}" is already in this room: add an initial or choose another name`, 'name');
    if (this.attendees.size >= this.options.maxAttendees)
      throw new AppError(
        503,
        `The room is full (${this.options.maxAttendees} attendees, CLASSROOM_MAX_ATTENDEES): ask the instructor`,
        'classroom',
      );
    const id = workspaceIdFor(name);
    create(id);
    const attendee: Attendee = { id, name, joinedAt: this.now(), notices: [] };
    const secret = randomBytes(24).toString('base64url');
    this.attendees.set(id, attendee);
    this.secrets.set(secret, id);
    return { attendee, secret };
  }

  /** The attendee a cookie secret names, if it is still in the room. */
  bySecret(secret: string | undefined): Attendee | undefined {
    const id = secret === undefined ? undefined : this.secrets.get(secret);
    return id === undefined ? undefined : this.attendees.get(id);
  }

  wasRemoved(secret: string | undefined): boolean {
    return secret !== undefined && this.removed.has(secret);
  }

  get(id: string): Attendee {
    const attendee = this.attendees.get(id);
    if (!attendee) throw new AppError(404, `No attendee "${id}" in this room`, 'id');
    return attendee;
  }

  list(): Attendee[] {
    return [...this.attendees.values()];
  }

  /** Takes the attendee out of the room: their cookie no longer opens anything. */
  remove(id: string): Attendee {
    const attendee = this.get(id);
    this.attendees.delete(id);
    for (const [secret, owner] of this.secrets) {
      if (owner !== id) continue;
      this.secrets.delete(secret);
      if (this.removed.size >= REMOVED_KEPT) this.removed.delete(this.removed.values().next().value!);
      this.removed.add(secret);
    }
    return attendee;
  }

  broadcast(text: string): Notice {
    const notice = this.notice('broadcast', text);
    for (const attendee of this.attendees.values()) keep(attendee, notice);
    return notice;
  }

  /** A hint answers a help request: it clears it. */
  hint(id: string, text: string): Notice {
    const attendee = this.get(id);
    const notice = this.notice('hint', text);
    keep(attendee, notice);
    attendee.helpSince = undefined;
    return notice;
  }

  setHelp(id: string, wanted: boolean): void {
    const attendee = this.get(id);
    attendee.helpSince = wanted ? (attendee.helpSince ?? this.now()) : undefined;
  }

  private notice(kind: Notice['kind'], raw: string): Notice {
    const text = raw.trim();
    if (text.length === 0) throw new AppError(400, 'The message is empty', 'text');
    if (text.length > NOTICE_MAX)
      throw new AppError(400, `A message has at most ${NOTICE_MAX} characters (this one has ${text.length})`, 'text');
    return { seq: ++this.seq, at: this.now(), kind, text };
  }

  private countAttempt(address: string) {
    const limit = this.options.joinsPerMinute ?? 10;
    const now = this.now();
    const recent = (this.attempts.get(address) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= limit) {
      this.attempts.set(address, recent);
      throw new AppError(
        429,
        `Too many join attempts from this address (${limit} a minute): wait a minute and try again`,
        'classroom',
      );
    }
    recent.push(now);
    if (!this.attempts.has(address) && this.attempts.size >= ADDRESSES_KEPT) this.pruneAttempts(now);
    this.attempts.set(address, recent);
  }

  private pruneAttempts(now: number) {
    for (const [address, times] of this.attempts)
      if (times.every((at) => now - at >= 60_000)) this.attempts.delete(address);
    // Still full of addresses active this minute: forget the oldest rather than grow.
    while (this.attempts.size >= ADDRESSES_KEPT) this.attempts.delete(this.attempts.keys().next().value!);
  }
}

function keep(attendee: Attendee, notice: Notice) {
  attendee.notices.push(notice);
  if (attendee.notices.length > NOTICES_KEPT) attendee.notices.splice(0, attendee.notices.length - NOTICES_KEPT);
}

/** Case, spaces and dashes do not matter: a code read aloud or typed in lowercase still matches. */
function sameCode(given: string, code: string): boolean {
  const a = Buffer.from(given.replace(/[\s-]/g, '').toUpperCase());
  const b = Buffer.from(code);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A display name as the dashboard shows it: trimmed, inner runs of spaces made one, 1 to 40 characters, no
 * control or invisible formatting characters (a right-to-left override or a zero-width space would make two
 * names look alike, or a name rewrite its neighbours on the projector).
 */
export function checkDisplayName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name.length === 0)
    throw new AppError(400, 'Enter a display name: the instructor sees it on the dashboard', 'name');
  const length = [...name].length;
  if (length > NAME_MAX)
    throw new AppError(400, `A display name has at most ${NAME_MAX} characters (this one has ${length})`, 'name');
  const hidden = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.exec(name);
  if (hidden)
    throw new AppError(
      400,
      `A display name cannot contain invisible or control characters (U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
      'name',
    );
  return name;
}

/** Two names the projector would show alike are the same name: "Ann", "ann", "Ａｎｎ". */
const nameKey = (name: string) => name.normalize('NFKC').toLowerCase();

/**
 * The attendee's workspace name: their name in URL form and a random suffix, so two rooms (or a name reused
 * after a removal) never share a workspace and nobody can guess another's from their name alone.
 */
export function workspaceIdFor(name: string): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20)
      .replace(/-+$/, '') || 'attendee';
  const suffix = Array.from({ length: 4 }, () => 'abcdefghjkmnpqrstuvwxyz23456789'[randomInt(31)]).join('');
  return `${slug}-${suffix}`;
}
