import { Command, type LabProgress, normalizeTopology, type TopologyDocument } from '@lab/model';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { RuntimeError } from '../runtime/errors.js';
import type { Workspace, Workspaces } from '../workspaces/workspaces.js';
import { JOIN_PAGE } from './access.js';
import { attendeeRow, classSummary, roomProgress } from './report.js';
import { ATTENDEE_COOKIE, type Attendee, NOTICE_MAX, type Notice, type Room } from './room.js';

export interface ClassroomOptions {
  room: Room;
  workspaces: Workspaces;
  /** The join page's addresses as attendees type them (one per network interface), for the dashboard. */
  joinUrls: string[];
  /** A step worked on longer than this is shown as stuck (CLASSROOM_STUCK_MINUTES). */
  stuckMinutes: number;
}

const Text = Type.Object({ text: Type.String({ maxLength: 4 * NOTICE_MAX }) }, { additionalProperties: false });

/**
 * The classroom's API. Attendees: join, their notices, their help request. The instructor (everything else
 * here; the access checks let no attendee in): the room's state for the dashboard, steering every attendee's
 * lab at once, one attendee's lab, hints and removal, and the class summary.
 */
export const classroomRoutes: FastifyPluginAsync<ClassroomOptions> = async (
  app,
  { room, workspaces, joinUrls, stuckMinutes },
) => {
  /** The named workspaces alive now; an attendee's may be evicted (idle) and comes back when they do. */
  const alive = () => new Map(workspaces.list().map((w) => [w.name, w]));
  const progressOf = (workspace: Workspace | undefined) => workspace?.lab.labs.progress();
  /**
   * A notice goes out on the attendees' live feeds at once; an attendee whose feed is down (or whose
   * workspace is evicted) gets it from `GET /api/classroom/me` when their page next asks.
   */
  const push = (ids: string[], notice: Notice) => {
    const live = alive();
    for (const id of ids) live.get(id)?.hub.sendAll({ type: 'notice', notice });
    return notice;
  };

  app.post<{ Body: { code: string; name: string } }>(
    '/api/classroom/join',
    {
      schema: {
        body: Type.Object(
          { code: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 1000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      // A browser already in the room (a reload, a second tab, the join page again) resumes its workspace.
      const already = request.attendee;
      if (already) return { workspace: already.id, name: already.name, url: `/w/${already.id}/`, resumed: true };
      const { attendee, secret } = room.join(
        { code: request.body.code, name: request.body.name, address: request.ip },
        (id) => workspaces.get(id),
      );
      reply.header('set-cookie', `${ATTENDEE_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`);
      return { workspace: attendee.id, name: attendee.name, url: `/w/${attendee.id}/`, resumed: false };
    },
  );

  const me = (request: FastifyRequest): Attendee => {
    if (!request.attendee)
      throw new RuntimeError(409, 'This is for attendees: the instructor has the dashboard at /classroom', 'classroom');
    return request.attendee;
  };
  app.get<{ Querystring: { after?: number } }>(
    '/api/classroom/me',
    { schema: { querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }) } },
    async (request) => {
      const attendee = me(request);
      const after = request.query.after ?? 0;
      return {
        id: attendee.id,
        name: attendee.name,
        workspace: `/w/${attendee.id}/`,
        ...(attendee.helpSince !== undefined ? { helpSince: attendee.helpSince } : {}),
        notices: attendee.notices.filter((n) => n.seq > after),
      };
    },
  );
  app.post<{ Body: { on: boolean } }>(
    '/api/classroom/me/help',
    { schema: { body: Type.Object({ on: Type.Boolean() }, { additionalProperties: false }) } },
    async (request) => {
      const attendee = me(request);
      room.setHelp(attendee.id, request.body.on);
      return { ok: true, ...(attendee.helpSince !== undefined ? { helpSince: attendee.helpSince } : {}) };
    },
  );

  // Everything below is the instructor's. The access checks already keep attendees out; this says so again
  // where the routes are, so a change there cannot open them.
  await app.register(async (instructor) => {
    instructor.addHook('onRequest', async (request) => {
      if (request.attendee)
        throw new RuntimeError(
          403,
          `Attendees use their own workspace only (/w/${request.attendee.id}/): this is for the instructor`,
          'classroom',
        );
    });

    instructor.get('/api/classroom', async () => {
      const live = alive();
      const attendees = room.list().map((a) => {
        const workspace = live.get(a.id);
        return attendeeRow(a, workspace?.lab.live.snapshot(), (workspace?.hub.size ?? 0) > 0);
      });
      const progresses = room.list().flatMap((a) => progressOf(live.get(a.id)) ?? []);
      return {
        code: room.code,
        joinUrls: joinUrls.map((url) => `${url}${JOIN_PAGE}?code=${room.code}`),
        maxAttendees: room.maxAttendees,
        stuckMinutes,
        now: Date.now(),
        attendees,
        progress: roomProgress(progresses),
      };
    });

    instructor.get('/api/classroom/summary', async () => {
      const live = alive();
      const progresses: LabProgress[] = room.list().flatMap((a) => progressOf(live.get(a.id)) ?? []);
      const labs = workspaces.default.lab.labs;
      const textOf = (labId: string) => {
        // A lab no longer served (the server restarted with other labs) is summed up without its words.
        if (!labs.list().some((l) => l.id === labId)) return undefined;
        const lab = labs.definition(labId);
        return { steps: lab.steps, topology: normalizeTopology(lab.startingTopology as TopologyDocument) };
      };
      return { attendees: room.list().length, labs: classSummary(progresses, textOf) };
    });

    /** Runs `act` on every attendee's lab at the same moment; each answers for itself. */
    const forEveryone = async (act: (workspace: Workspace) => Promise<unknown>) => {
      const attendees = room.list();
      const settled = await Promise.allSettled(attendees.map((a) => act(workspaces.get(a.id))));
      return {
        results: settled.map((outcome, i) => ({
          id: attendees[i]!.id,
          name: attendees[i]!.name,
          ...(outcome.status === 'fulfilled'
            ? { ok: true }
            : { ok: false, error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) }),
        })),
      };
    };

    instructor.post<{ Body: { labId: string } }>(
      '/api/classroom/start',
      { schema: { body: Type.Object({ labId: Type.String({ maxLength: 100 }) }, { additionalProperties: false }) } },
      async (request) => {
        workspaces.default.lab.labs.find(request.body.labId); // an unknown lab is one 404, not one per attendee
        return forEveryone((w) => w.lab.labs.start(request.body.labId));
      },
    );
    instructor.post<{ Body: { command: Command } }>(
      '/api/classroom/command',
      { schema: { body: Type.Object({ command: Command }, { additionalProperties: false }) } },
      async (request) => forEveryone((w) => w.lab.labs.execute(request.body.command)),
    );
    instructor.post<{ Body: { do: 'play' | 'pause' | 'restart' } }>(
      '/api/classroom/scenario',
      {
        schema: { body: Type.Object({ do: Type.Enum(['play', 'pause', 'restart']) }, { additionalProperties: false }) },
      },
      async (request) =>
        forEveryone(async (w) => {
          if (request.body.do === 'play') w.lab.labs.playScenario();
          else if (request.body.do === 'pause') w.lab.labs.pauseScenario();
          else w.lab.labs.restartScenario();
        }),
    );
    instructor.post<{ Body: { text: string } }>(
      '/api/classroom/broadcast',
      { schema: { body: Text } },
      async (request) => ({
        ok: true,
        notice: push(
          room.list().map((a) => a.id),
          room.broadcast(request.body.text),
        ),
      }),
    );
    instructor.post<{ Params: { id: string }; Body: { text: string } }>(
      '/api/classroom/attendees/:id/hint',
      { schema: { body: Text } },
      async (request) => ({
        ok: true,
        notice: push([request.params.id], room.hint(request.params.id, request.body.text)),
      }),
    );
    instructor.post<{ Params: { id: string } }>('/api/classroom/attendees/:id/reset', async (request) => {
      const attendee = room.get(request.params.id);
      const labs = workspaces.get(attendee.id).lab.labs;
      const labId = labs.progress()?.labId;
      if (!labId) throw new RuntimeError(409, `${attendee.name} has no lab open: start one for them first`, 'id');
      await labs.start(labId);
      return { ok: true, labId };
    });
    instructor.post<{ Params: { id: string } }>('/api/classroom/attendees/:id/remove', async (request) => {
      const attendee = room.remove(request.params.id);
      // Their cookie is revoked first, so nothing of theirs can reach the workspace while it goes.
      const outcome = alive().has(attendee.id)
        ? await workspaces.evict(attendee.id)
        : 'their workspace was already evicted';
      return { ok: true, name: attendee.name, outcome };
    });
  });
};
