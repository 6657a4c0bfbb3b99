import { ClientMessage, HEARTBEAT_INTERVAL_MS, PROTOCOL_VERSION, type ServerMessage } from '@lab/model';
import Compile from 'typebox/compile';
import type { WebSocket } from 'ws';
import type { EventLog } from '../telemetry/log.js';
import type { LiveState } from './state.js';

/** A browser sends a pong every few seconds; more than this in one second is a flood, not a browser. */
export const MAX_MESSAGES_PER_SECOND = 20;
const isClientMessage = Compile(ClientMessage);

/** A client whose socket holds more than this unsent is skipped until it drains (its frames coalesce). */
export const MAX_BUFFERED_BYTES = 256 * 1024;

interface Client {
  socket: WebSocket;
  sentRevision: number;
  /** The last event log entry this client has; later ones go with the next tick it can take. */
  sentLogSeq: number;
}

/**
 * Sends each browser a snapshot on connect, then frames about ten times a second.
 * A frame carries the newest state, so a client that cannot keep up simply gets fewer frames: nothing queues
 * per client beyond the socket's own buffer, which is capped by MAX_BUFFERED_BYTES before each send.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly frameTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;

  constructor(
    private readonly state: LiveState,
    private readonly log: EventLog,
    private readonly serverVersion: string,
    frameIntervalMs = 100,
  ) {
    this.frameTimer = setInterval(() => this.sendFrames(), frameIntervalMs);
    this.heartbeatTimer = setInterval(() => this.broadcast({ type: 'ping', at: Date.now() }), HEARTBEAT_INTERVAL_MS);
  }

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket): void {
    const backlog = this.log.recent();
    const client: Client = { socket, sentRevision: this.state.revision, sentLogSeq: backlog.at(-1)?.seq ?? 0 };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    let windowStart = Date.now();
    let count = 0;
    socket.on('message', (data) => {
      const now = Date.now();
      if (now - windowStart >= 1_000) {
        windowStart = now;
        count = 0;
      }
      if (++count > MAX_MESSAGES_PER_SECOND) return socket.close(1008, 'too many messages');
      // Only pongs are expected; anything else (malformed JSON, unknown types) is dropped, never trusted.
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!isClientMessage.Check(message)) return;
    });
    send(socket, { type: 'hello', protocol: PROTOCOL_VERSION, serverVersion: this.serverVersion });
    send(socket, { type: 'snapshot', snapshot: this.state.snapshot() });
    send(socket, { type: 'log', entries: backlog });
  }

  close(): void {
    clearInterval(this.frameTimer);
    clearInterval(this.heartbeatTimer);
    for (const { socket } of this.clients) socket.close(1001, 'server shutting down');
    this.clients.clear();
  }

  private sendFrames() {
    const revision = this.state.revision;
    const entries = this.log.recent();
    const lastSeq = entries.at(-1)?.seq ?? 0;
    let text: string | undefined; // serialised once per tick, only if some client needs it
    for (const client of this.clients) {
      const { socket } = client;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES || socket.readyState !== socket.OPEN) continue;
      if (client.sentLogSeq < lastSeq) {
        // Entries are picked from the bounded log by sequence number: a client that fell behind gets what is
        // still there in one message, never a queue of its own.
        send(socket, { type: 'log', entries: entries.filter((e) => e.seq > client.sentLogSeq) });
        client.sentLogSeq = lastSeq;
      }
      if (client.sentRevision === revision) continue;
      text ??= JSON.stringify({
        type: 'frame',
        seq: revision,
        snapshot: this.state.snapshot(),
      } satisfies ServerMessage);
      client.sentRevision = revision;
      socket.send(text);
    }
  }

  private broadcast(message: ServerMessage) {
    for (const client of this.clients) {
      if (client.socket.bufferedAmount <= MAX_BUFFERED_BYTES) send(client.socket, message);
    }
  }
}

function send(socket: WebSocket, message: ServerMessage) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
