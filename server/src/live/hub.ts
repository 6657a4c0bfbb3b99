import {
  ClientMessage,
  diffSnapshot,
  HEARTBEAT_INTERVAL_MS,
  isEmptyDelta,
  PROTOCOL_VERSION,
  type ServerMessage,
  type Snapshot,
} from '@lab/model';
import Compile from 'typebox/compile';
import type { WebSocket } from 'ws';
import type { EventLog } from '../telemetry/log.js';
import type { LiveState } from './state.js';

/** A browser sends a pong every few seconds; more than this in one second is a flood, not a browser. */
export const MAX_MESSAGES_PER_SECOND = 20;
const isClientMessage = Compile(ClientMessage);

/** A client whose socket holds more than this unsent is skipped until it drains (its frames coalesce). */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/** Ordinary changes go out at most this often per browser; urgent ones (a status) at once. */
export const MIN_FRAME_GAP_MS = 20;

interface Client {
  socket: WebSocket;
  /** The revision of the state this client has, and that state: the next frame is the delta from it. */
  sentRevision: number;
  sent: Snapshot;
  /** The newest revision compared with what the client has (it may have changed nothing visible). */
  checkedRevision: number;
  /** The last event log entry this client has; later ones go with the next tick it can take. */
  sentLogSeq: number;
}

/**
 * Sends each browser a snapshot on connect, then a frame whenever the state changes: at once for an urgent
 * change (a crash, a revive, a status), otherwise at most every MIN_FRAME_GAP_MS; a tick every
 * `frameIntervalMs` also carries new log entries and catches up browsers that were busy.
 * A frame is the delta from what that browser already has, so a client that cannot keep up simply gets
 * fewer, larger frames: nothing queues per client beyond the socket's own buffer, which is capped by
 * MAX_BUFFERED_BYTES before each send.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly frameTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private pushTimer: NodeJS.Timeout | undefined;
  private pushDue = Number.POSITIVE_INFINITY;
  private lastFrameAt = 0;

  constructor(
    private readonly state: LiveState,
    private readonly log: EventLog,
    private readonly serverVersion: string,
    frameIntervalMs = 100,
  ) {
    this.frameTimer = setInterval(() => this.sendFrames(), frameIntervalMs);
    this.stopListening = state.onChange((urgent) =>
      this.push(urgent ? 0 : Math.max(0, this.lastFrameAt + MIN_FRAME_GAP_MS - Date.now())),
    );
    this.heartbeatTimer = setInterval(() => this.sendAll({ type: 'ping', at: Date.now() }), HEARTBEAT_INTERVAL_MS);
  }

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket): void {
    const backlog = this.log.recent();
    const client: Client = {
      socket,
      sentRevision: this.state.revision,
      sent: this.state.snapshot(),
      checkedRevision: this.state.revision,
      sentLogSeq: backlog.at(-1)?.seq ?? 0,
    };
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
    send(socket, { type: 'snapshot', seq: client.sentRevision, snapshot: client.sent });
    send(socket, { type: 'log', entries: backlog });
  }

  close(): void {
    this.stopListening();
    clearTimeout(this.pushTimer);
    clearInterval(this.frameTimer);
    clearInterval(this.heartbeatTimer);
    for (const { socket } of this.clients) socket.close(1001, 'server shutting down');
    this.clients.clear();
  }

  /** Sends frames in `delayMs`, or sooner if a send is already due sooner. */
  private push(delayMs: number) {
    const due = Date.now() + delayMs;
    if (this.pushTimer && this.pushDue <= due) return;
    clearTimeout(this.pushTimer);
    this.pushDue = due;
    // A timer even for 0 ms: a burst of changes in one turn of the event loop becomes one frame.
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      this.pushDue = Number.POSITIVE_INFINITY;
      this.sendFrames();
    }, delayMs);
  }

  private sendFrames() {
    const revision = this.state.revision;
    const current = this.state.snapshot();
    const entries = this.log.recent();
    const lastSeq = entries.at(-1)?.seq ?? 0;
    // Serialised once per base state: browsers that had the same state share one text.
    const texts = new Map<Snapshot, string | undefined>();
    for (const client of this.clients) {
      const { socket } = client;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES || socket.readyState !== socket.OPEN) continue;
      if (client.sentLogSeq < lastSeq) {
        // Entries are picked from the bounded log by sequence number: a client that fell behind gets what is
        // still there in one message, never a queue of its own.
        send(socket, { type: 'log', entries: entries.filter((e) => e.seq > client.sentLogSeq) });
        client.sentLogSeq = lastSeq;
      }
      if (client.checkedRevision === revision) continue;
      client.checkedRevision = revision;
      if (!texts.has(client.sent)) {
        const delta = diffSnapshot(client.sent, current);
        const frame = { type: 'frame', seq: revision, base: client.sentRevision, delta } satisfies ServerMessage;
        texts.set(client.sent, isEmptyDelta(delta) ? undefined : JSON.stringify(frame));
      }
      const text = texts.get(client.sent);
      // Nothing the browser can see changed: it stays at the state it has, which is the current one.
      if (text === undefined) continue;
      // A state object belongs to one revision, so every browser with the same base shares this text.
      socket.send(text);
      client.sentRevision = revision;
      client.sent = current;
      this.lastFrameAt = Date.now();
    }
  }

  /** One message to every browser on this feed now (a heartbeat, a classroom notice); a busy one is skipped. */
  sendAll(message: ServerMessage) {
    for (const client of this.clients) {
      if (client.socket.bufferedAmount <= MAX_BUFFERED_BYTES) send(client.socket, message);
    }
  }
}

function send(socket: WebSocket, message: ServerMessage) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
