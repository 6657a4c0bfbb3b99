import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketGuard } from './sockets.js';

/** A TCP server standing in for a broker: it records what its clients do to their connections. */
async function fakeBroker() {
  const ended: string[] = [];
  const accepted: Socket[] = [];
  const server: Server = createServer((socket) => {
    accepted.push(socket);
    socket.on('end', () => ended.push('end'));
    socket.on('error', (err) => ended.push((err as NodeJS.ErrnoException).code ?? err.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, port, ended, accepted };
}

describe('SocketGuard', () => {
  let broker: Awaited<ReturnType<typeof fakeBroker>>;
  afterEach(() => broker?.server.close());

  it('tracks the sockets it makes, cuts them all at once, and refuses any later one', async () => {
    broker = await fakeBroker();
    const guard = new SocketGuard();
    const connect = () =>
      new Promise<Socket>((resolve) => {
        const socket = guard.factory({
          host: '127.0.0.1',
          port: broker.port,
          ssl: undefined as never,
          onConnect: () => resolve(socket),
        });
      });
    const sockets = [await connect(), await connect()];
    const errors: string[] = [];
    for (const s of sockets) s.on('error', (err) => errors.push(err.message));
    expect(guard.openSockets).toBe(2);

    guard.cut();
    expect(guard.openSockets).toBe(0);
    expect(sockets.every((s) => s.destroyed)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    // The client side failed its waiters at once; the server side saw the connections end.
    expect(errors).toEqual(['this instance crashed', 'this instance crashed']);
    expect(broker.ended).toHaveLength(2);

    expect(() =>
      guard.factory({ host: '127.0.0.1', port: broker.port, ssl: undefined as never, onConnect: () => {} }),
    ).toThrow('this instance crashed: it opens no connection');
    expect(guard.refused).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(broker.accepted).toHaveLength(2);
  });

  it('forgets sockets that closed by themselves', async () => {
    broker = await fakeBroker();
    const guard = new SocketGuard();
    const socket = await new Promise<Socket>((resolve) => {
      const s = guard.factory({
        host: '127.0.0.1',
        port: broker.port,
        ssl: undefined as never,
        onConnect: () => resolve(s),
      });
    });
    socket.end();
    await new Promise((r) => socket.once('close', r));
    expect(guard.openSockets).toBe(0);
    expect(guard.isCut).toBe(false);
  });
});
