import { createServer } from 'node:net';

/** True when nothing listens on host:port yet (we may bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first free port at or after `start`, looking at most `tries` ports ahead. */
export async function findFreePort(start: number, tries = 50, host = '127.0.0.1'): Promise<number> {
  for (let port = start; port < start + tries && port <= 65535; port++) {
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`no free port between ${start} and ${start + tries - 1}`);
}
