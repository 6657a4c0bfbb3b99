import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/** As kafkajs's own factory: a dead broker is noticed even on an idle connection. */
const KEEP_ALIVE_MS = 60_000;

/**
 * The sockets of one instance's Kafka clients, and the way to cut them all as a dying process would.
 * Instances share a thread, so a crash cannot be the thread ending: it is this guard destroying every socket
 * the instance's clients opened (the broker sees the connection drop: no LeaveGroup, no final commit) and
 * refusing every socket they ask for afterwards (a crashed instance never reconnects).
 */
export class SocketGuard {
  private readonly open = new Set<Socket>();
  private cutAt: number | undefined;
  /** Sockets asked for after the cut, and refused. */
  refused = 0;

  /** kafkajs's `socketFactory`: the same sockets kafkajs would make (TLS when configured), tracked. */
  readonly factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    if (this.cutAt !== undefined) {
      this.refused++;
      throw new Error('this instance crashed: it opens no connection');
    }
    const socket = ssl
      ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : tcpConnect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_MS);
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  };

  /** Sockets the instance's Kafka clients hold open now. */
  get openSockets(): number {
    return this.open.size;
  }

  get isCut(): boolean {
    return this.cutAt !== undefined;
  }

  /**
   * Destroys every socket at once, mid-request if need be, and refuses new ones from now on. The error makes
   * kafkajs fail what waits on those connections now rather than at its request timeout.
   */
  cut(): void {
    this.cutAt ??= Date.now();
    const error = new Error('this instance crashed');
    for (const socket of this.open) socket.destroy(error);
    this.open.clear();
  }
}
