import { readFileSync, writeFileSync } from 'node:fs';
import type { TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab } from '../src/lab.js';
import { FakeKafka } from './fake-kafka.js';
import { type LabHarness, startLab } from './lab-harness.js';

const good: TopologyDocument = {
  version: 1,
  name: 'orders',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 5 },
    { id: 'orders', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service' },
  ],
  links: [
    { id: 'l1', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'l2', kind: 'consume', from: 'orders', to: 'billing' },
  ],
};

describe('bad input gets a clear error and changes nothing', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
    expect((await h.put(good)).status).toBe(200);
  });
  afterAll(() => h.close());

  const savedFile = () => readFileSync(h.lab.store.path, 'utf8');

  it.each([
    [
      'a topic → topic link',
      { ...good, links: [...good.links, { id: 'x', kind: 'produce', from: 'orders', to: 'orders' }] },
      'links.2.kind',
      /cannot go from a topic to a topic/,
    ],
    [
      'an unknown node id',
      { ...good, links: [...good.links, { id: 'x', kind: 'consume', from: 'orders', to: 'ghost' }] },
      'links.2.to',
      /unknown node "ghost"/,
    ],
    [
      'a bad topic name',
      { ...good, nodes: [...good.nodes, { id: 'my topic', kind: 'topic' }] },
      'nodes.3.id',
      /Kafka topic name rules/,
    ],
    [
      'partitions out of range',
      { ...good, nodes: [...good.nodes, { id: 't2', kind: 'topic', partitions: 13 }] },
      'nodes.3.partitions',
      /<= 12/,
    ],
    [
      'a REST call cycle',
      {
        ...good,
        nodes: [...good.nodes, { id: 'a', kind: 'service' }, { id: 'b', kind: 'service' }],
        links: [
          ...good.links,
          { id: 'ab', kind: 'call', from: 'a', to: 'b' },
          { id: 'ba', kind: 'call', from: 'b', to: 'a' },
        ],
      },
      'links.3',
      /cycle \(a → b → a\)/,
    ],
    ['not a topology at all', [1, 2, 3], '', /must be a JSON object/],
  ])('%s: 400 naming the field', async (_, doc, path, message) => {
    const before = savedFile();
    const res = await h.put(doc as TopologyDocument);
    expect(res.status).toBe(400);
    expect(res.body.path).toBe(path);
    expect(res.body.error).toMatch(message);
    expect(savedFile()).toBe(before);
    expect((await h.app.inject('/api/topology')).json()).toMatchObject({
      name: 'orders',
      nodes: [{ id: 'shop' }, { id: 'orders' }, { id: 'billing' }],
    });
  });

  it('an oversized document: 413', async () => {
    const huge = { ...good, name: 'x'.repeat(2 * 1024 * 1024) };
    const res = await h.app.inject({ method: 'PUT', url: '/api/topology', payload: huge });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe("The topology document is larger than 512 KB, the lab's limit");
  });

  it('malformed JSON: 400', async () => {
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/topology',
      payload: '{"version":1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/JSON/);
  });

  it('commands on nodes that do not exist, are not services, or are not running', async () => {
    expect(await h.post('/api/nodes/ghost/actions', { action: 'crash' })).toEqual({
      status: 404,
      body: { error: 'No node "ghost" in the topology', path: 'id' },
    });
    expect((await h.post('/api/nodes/orders/actions', { action: 'crash' })).body.error).toBe(
      '"orders" is a topic: only services take crash',
    );
    expect(await h.post('/api/nodes/billing/actions', { action: 'crash' })).toEqual({
      status: 409,
      body: { error: 'The topology is not running: press Run first', path: '' },
    });
    const unknown = await h.post('/api/nodes/billing/actions', { action: 'explode' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      path: 'action',
      error: expect.stringContaining('crash, stop, revive, hang, slow, errors, scale'),
    });
    expect((await h.post('/api/nodes/billing/rate', { perSecond: 5 })).body.error).toBe(
      '"billing" is a service: only sources have a rate',
    );
    expect((await h.post('/api/nodes/shop/rate', { perSecond: -1 })).status).toBe(400);
    expect((await h.app.inject('/api/topics/ghost/messages')).json()).toEqual({
      error: 'No topic "ghost" in the topology',
      path: 'id',
    });
  });

  it('while running: bad action values, unknown instances, and partitions Kafka cannot take away', async () => {
    expect((await h.post('/api/run')).status).toBe(200);
    expect(await h.post('/api/run')).toMatchObject({ status: 409, body: { error: 'The topology is already running' } });
    expect(await h.post('/api/nodes/billing/actions', { action: 'scale', value: 9 })).toMatchObject({
      status: 400,
      body: { path: 'value' },
    });
    expect(await h.post('/api/nodes/billing/actions', { action: 'errors', value: 2 })).toMatchObject({
      status: 400,
      body: { path: 'value' },
    });
    expect(await h.post('/api/nodes/billing/actions', { action: 'crash', instance: 'billing-7' })).toEqual({
      status: 404,
      body: { error: 'No instance "billing-7" of "billing" (instances: billing-1)', path: 'instance' },
    });

    const before = savedFile();
    const fewer = { ...good, nodes: good.nodes.map((n) => (n.id === 'orders' ? { ...n, partitions: 1 } : n)) };
    const res = await h.put(fewer);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      path: 'nodes.1.partitions',
      error: expect.stringContaining('Kafka cannot take partitions away from "orders" (it has 3)'),
    });
    expect(savedFile()).toBe(before);
    expect((await h.post('/api/stop')).status).toBe(200);
  });
});

describe('the saved topology', () => {
  const kafka = new FakeKafka([]);

  it('survives a restart of the server', async () => {
    const h = await startLab();
    expect((await h.put(good)).status).toBe(200);
    const dataDir = h.lab.store.path.replace(/\/topology\.json$/, '');
    await h.close();
    const again = createLab({ brokers: ['127.0.0.1:1'], topicPrefix: h.prefix, dataDir, kafka });
    await new Promise((r) => setTimeout(r, 10));
    expect(again.runtime.current).toMatchObject({
      name: 'orders',
      nodes: [{ id: 'shop' }, { id: 'orders' }, { id: 'billing' }],
    });
    await again.close();
  });

  it('a corrupted file is set aside, said in the log, and the lab starts empty', async () => {
    const h = await startLab();
    await h.put(good);
    const path = h.lab.store.path;
    await h.close();
    writeFileSync(path, '{"version":1,"name":"half-writ');
    const again = createLab({
      brokers: ['127.0.0.1:1'],
      topicPrefix: h.prefix,
      dataDir: path.replace(/\/topology\.json$/, ''),
      kafka,
    });
    expect(again.runtime.current.nodes).toEqual([]);
    expect(again.log.recent().at(-1)?.message).toMatch(/is not valid JSON .* moved to .*topology\.json\.broken-\d+/);
    await again.close();
  });
});
