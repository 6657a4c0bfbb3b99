import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { isAlive, startServerProcess, waitFor } from './server-process.js';

const onlyLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('Error: '));

describe('the server process and its local broker', () => {
  it('leaves no JVM behind even when the server is SIGKILLed', async () => {
    const server = startServerProcess();
    await server.ready;
    const pid = server.brokerPid()!;
    expect(isAlive(pid)).toBe(true);

    server.child.kill('SIGKILL');
    await server.exited;
    await waitFor(() => !isAlive(pid), 10_000, 'the broker JVM to die with its server');
  });

  // One server (one broker start fewer): the broker it restarted is the one SIGTERM must stop.
  it('survives its broker being SIGKILLed (Kafka down, the broker restarted on the same port, Kafka up again), then stops that broker on SIGTERM: no JVM left behind', async () => {
    const server = startServerProcess();
    const url = await server.ready;
    const health = async () => (await (await fetch(`${url}/api/health`)).json()).kafka;
    const before = await health();
    expect(before).toMatchObject({ status: 'up', managed: true });
    const first = server.brokerPid()!;
    expect(isAlive(first)).toBe(true);
    process.kill(first, 'SIGKILL');
    await waitFor(async () => (await health()).status === 'down', 10_000, 'Kafka shown down');
    await waitFor(async () => (await health()).status === 'up', 60_000, 'Kafka up again');
    expect((await health()).brokers).toEqual(before.brokers);
    expect(server.output()).toContain('Kafka broker restarted on');
    const restarted = server.brokerPid();
    expect(restarted).not.toBe(first);
    expect(restarted && isAlive(restarted)).toBe(true);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(isAlive(restarted!)).toBe(false);
  });

  it('uses the next free port when the preferred Kafka port is taken, and says so', async () => {
    const taken = inject('kafkaBrokers').split(',')[0]!.split(':')[1]!;
    const server = startServerProcess({ KAFKA_PORT: taken });
    await server.ready;
    expect(server.output()).toContain(`Kafka: port ${taken} is taken, using`);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('uses an existing cluster from KAFKA_BROKERS and starts no broker', async () => {
    const brokers = inject('kafkaBrokers');
    const server = startServerProcess({ KAFKA_BROKERS: brokers });
    const url = await server.ready;
    expect(server.output()).toContain(`using the existing cluster at ${brokers}`);
    expect(server.brokerPid()).toBeUndefined();
    const health = await (await fetch(`${url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, kafka: { status: 'up', managed: false } });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('exposed beyond loopback', () => {
  it('HOST=0.0.0.0 prints a URL with an access token, and refuses requests without it', async () => {
    const server = startServerProcess({ KAFKA_BROKERS: inject('kafkaBrokers'), HOST: '0.0.0.0' });
    const url = await server.ready;
    const token = /\?token=([A-Za-z0-9_-]{16,})/.exec(server.output())?.[1];
    expect(token).toBeDefined();
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(401);
    expect(
      (await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('saving the topology', () => {
  it('leaves a whole document, old or new, when the server is SIGKILLed in the middle of saves', async () => {
    const server = startServerProcess({ KAFKA_BROKERS: inject('kafkaBrokers') });
    const url = await server.ready;
    const doc = (n: number) => ({
      version: 1,
      name: `save ${n}`,
      nodes: Array.from({ length: 150 }, (_, i) => ({
        // Topics: 150 services would be past the lab's 40-instance quota.
        id: `topic-${i}`,
        kind: 'topic',
        label: `Topic number ${i} of save ${n}`,
      })),
      links: [],
    });
    const sent: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let n = 0; !stop; n++) {
        sent.push(`save ${n}`);
        await fetch(`${url}/api/topology`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(doc(n)),
        }).catch(() => {
          stop = true;
        });
      }
    })();
    await waitFor(() => sent.length > 20, 20_000, 'saves under way');
    server.child.kill('SIGKILL');
    stop = true;
    await writer;
    await server.exited;
    const saved = JSON.parse(readFileSync(join(server.dataDir, 'topology.json'), 'utf8'));
    expect(sent).toContain(saved.name);
    expect(saved.nodes).toHaveLength(150);
  });
});

describe('one clear line for each start-up failure a newcomer can hit', () => {
  it('no Java on PATH', async () => {
    const server = startServerProcess({ PATH: '/nonexistent', JAVA_HOME: '' });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    const [line, ...more] = onlyLine(server.output());
    expect(line).toMatch(/^Error: Java not found on PATH: the local Kafka broker needs Java 17\+; install a JDK 17/);
    expect(line).toContain('KAFKA_BROKERS');
    expect(more).toEqual([]);
  });

  it('Java too old', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'old-java-'));
    writeFileSync(join(bin, 'java'), '#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n', { mode: 0o755 });
    const server = startServerProcess({ PATH: `${bin}:/usr/bin:/bin`, JAVA_HOME: '' });
    expect((await server.exited).code).not.toBe(0);
    expect(onlyLine(server.output())).toEqual([
      expect.stringMatching(/^Error: Java 8 found at java, but the local Kafka broker needs Java 17\+/),
    ]);
  });

  it('no Maven and no cached jars', async () => {
    // A PATH with Java but without mvn, and an empty jar cache.
    const bin = mkdtempSync(join(tmpdir(), 'java-only-'));
    const java = realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim());
    symlinkSync(java, join(bin, 'java'));
    const server = startServerProcess({
      PATH: bin,
      JAVA_HOME: '',
      KAFKA_CACHE_DIR: mkdtempSync(join(tmpdir(), 'empty-cache-')),
    });
    expect((await server.exited).code).not.toBe(0);
    expect(onlyLine(server.output())).toEqual([
      expect.stringMatching(/^Error: Maven \(mvn\) not found and Kafka's jars are not cached yet/),
    ]);
  });

  it('the broker failing to start names its log and quotes its last lines', async () => {
    // Storage formatted for another node id: Kafka refuses to start with it.
    const dataDir = mkdtempSync(join(tmpdir(), 'bad-broker-'));
    const kraft = join(dataDir, 'kafka', 'kraft');
    mkdirSync(kraft, { recursive: true });
    writeFileSync(
      join(kraft, 'meta.properties'),
      'version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=7\ndirectory.id=BBBBBBBBBBBBBBBBBBBBBB\n',
    );
    const server = startServerProcess({ LAB_DATA_DIR: dataDir });
    expect((await server.exited).code).not.toBe(0);
    const [line] = onlyLine(server.output());
    expect(line).toContain(
      `The Kafka broker stopped while starting; see ${join(dataDir, 'kafka', 'logs', 'broker.log')}`,
    );
    expect(line).toMatch(/node\.id|nodeId|node id/i);
  });

  it('Kafka unreachable at KAFKA_BROKERS', async () => {
    const server = startServerProcess({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_WAIT_SECONDS: '2' });
    expect((await server.exited).code).not.toBe(0);
    expect(onlyLine(server.output())).toEqual([
      expect.stringMatching(/^Error: Kafka at 127\.0\.0\.1:1 is unreachable: .*check KAFKA_BROKERS/),
    ]);
  });

  it('a bad configuration value is named', async () => {
    const server = startServerProcess({ PORT: 'eighty' });
    expect((await server.exited).code).not.toBe(0);
    expect(onlyLine(server.output())).toEqual([expect.stringMatching(/^Error: Invalid configuration: PORT="eighty"/)]);
  });
});
