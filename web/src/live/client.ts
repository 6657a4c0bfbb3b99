import { applyDelta, HEARTBEAT_TIMEOUT_MS, PROTOCOL_VERSION, ServerMessage, type Snapshot } from '@lab/model';
import Compile from 'typebox/compile';
import { inWorkspace } from '../api/base';
import { noticeArrived } from '../classroom/attendee';
import { liveHistory } from '../replay/history';
import { useLab } from '../store';
import { reconnectDelayMs } from './backoff';

const isServerMessage = Compile(ServerMessage);

/**
 * Keeps one WebSocket to /live open for the page's lifetime: reconnects with backoff, treats a silent
 * connection (no heartbeat) as dead, applies each frame's delta to the state it has (entries a frame does
 * not name keep their objects, so their components do not re-render), and hands the store at most one
 * snapshot per animation frame however fast frames arrive.
 */
export function connectLive(url = liveUrl()): () => void {
  let socket: WebSocket | undefined;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let pending: Snapshot | undefined;
  /** The state as of revision `seq`: what the next frame's delta applies to. */
  let state: Snapshot | undefined;
  let seq: number | undefined;
  let frameRequested = false;
  let stopped = false;
  const store = useLab.getState();

  const flush = () => {
    frameRequested = false;
    if (pending) {
      const now = Date.now();
      liveHistory.add(now, pending);
      // Rewound, the learner looks at a past moment: the live state goes to the history, not the canvas.
      if (useLab.getState().timeMode === 'live') store.applySnapshot(pending);
      store.recordTrend(pending, now);
    }
    pending = undefined;
  };
  const queue = (snapshot: Snapshot) => {
    pending = snapshot;
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flush);
    }
  };
  const watchSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => socket?.close(4000, 'heartbeat missed'), HEARTBEAT_TIMEOUT_MS);
  };

  const open = () => {
    socket = new WebSocket(url);
    socket.onopen = watchSilence;
    socket.onmessage = (event) => {
      watchSilence();
      const message: unknown = JSON.parse(String(event.data));
      if (!isServerMessage.Check(message)) return; // an unknown message is not worth a crash
      switch (message.type) {
        case 'hello':
          if (message.protocol !== PROTOCOL_VERSION) {
            // The server was upgraded under us: only a reload brings code that understands it.
            location.reload();
            return;
          }
          attempt = 0;
          store.setServerVersion(message.serverVersion);
          store.setConnection('open');
          break;
        case 'snapshot':
          // A new connection: the server follows with its whole log backlog.
          store.resetLog();
          state = message.snapshot;
          seq = message.seq;
          queue(state);
          break;
        case 'frame':
          if (!state || message.base !== seq) {
            // A delta from a state we do not have: start over from a fresh snapshot rather than show a mix.
            socket?.close(4001, 'frame out of sequence');
            return;
          }
          state = applyDelta(state, message.delta);
          seq = message.seq;
          queue(state);
          break;
        case 'log':
          store.appendLog(message.entries);
          break;
        case 'notice':
          noticeArrived(message.notice);
          break;
        case 'ping':
          socket?.send(JSON.stringify({ type: 'pong', at: message.at }));
          break;
      }
    };
    socket.onclose = () => {
      clearTimeout(silenceTimer);
      state = undefined;
      seq = undefined;
      if (stopped) return;
      attempt++;
      store.setConnection('reconnecting', attempt);
      retryTimer = setTimeout(open, reconnectDelayMs(attempt));
    };
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(silenceTimer);
    socket?.close(1000, 'page closed');
  };
}

function liveUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${inWorkspace('/live')}`;
}
