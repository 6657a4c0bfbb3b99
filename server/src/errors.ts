import { type ApiErrorBody, LIMITS, type Problem } from '@lab/model';
import type { FastifyInstance } from 'fastify';

/**
 * A failure a newcomer can hit and fix: its message is one line that says what is wrong and what to do.
 * The process entry prints it alone (no stack) and exits non-zero. Not an AppError: it happens before the
 * server answers anything, so it has no status and no field, only a line to print.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Every failure a request can cause: its HTTP status (400 bad input, 404 unknown, 409 wrong state, 503 not
 * now…), a message the learner can act on, and the field it is about (`nodes.2.partitions`, `id`, `headers.host`;
 * empty when it is about the whole request). The error handler turns it into the one error body, ApiErrorBody.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    /** `statusCode`, as Fastify names it: errors Fastify raises itself carry their status there too. */
    readonly statusCode: number,
    message: string,
    readonly path = '',
    /** Every problem of a refused document, the first of which is the message and path. */
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

/** An error as the handler may receive it: ours, Fastify's (validation, body too large) or anything thrown. */
type AnyError = Error & {
  code?: string;
  statusCode?: number;
  path?: string;
  problems?: Problem[];
  validation?: { instancePath?: string; keyword?: string; params?: { allowedValues?: unknown[] } }[];
};

/**
 * One shape for every error a client can cause, whoever raised it: `{ error, path, problems? }`. A 500 says
 * "Internal error" only (the details go to the log, never to the client).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: AnyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500 && status !== 503) app.log.error(error);
    return reply.code(status).send(errorBody(status, error));
  });
}

function errorBody(status: number, error: AnyError): ApiErrorBody {
  if (status === 500) return { error: 'Internal error', path: '' };
  return {
    error: messageOf(error),
    path: pathOf(error),
    ...(error instanceof AppError && error.problems ? { problems: error.problems } : {}),
  };
}

function pathOf(error: AnyError): string {
  if (error.path !== undefined) return error.path;
  return error.validation?.[0]?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
}

/** Fastify's validation messages, plus the allowed values where it leaves them out. */
function messageOf(error: AnyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return `The topology document is larger than ${LIMITS.documentBytes / 1024} KB, the lab's limit`;
  const allowed = error.validation?.[0]?.params?.allowedValues;
  return allowed ? `${error.message}: ${allowed.join(', ')}` : error.message;
}
