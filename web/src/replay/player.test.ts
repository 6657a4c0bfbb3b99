import { emptySnapshot } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { request } from '../api/http';
import { useLab } from '../store';
import { currentPlayer, openReplay } from './player';

const kafka = { status: 'up' as const, brokers: ['127.0.0.1:9092'], managed: true };
const node = (status: 'running' | 'down') => ({
  status,
  instances: [{ id: 'payments-1', status }],
  inRate: 5,
  outRate: 5,
  errorRate: 0,
  inFlight: 0,
  p50Ms: 1,
  p99Ms: 2,
  processed: 1,
  failed: 0,
});
const recording = [
  { type: 'recording', format: 1, id: 'r', startedAt: 1_000_000, name: 'Checkout', serverVersion: '1.2.3' },
  { t: 0, topology: { version: 1, name: 'Checkout', nodes: [{ id: 'payments', kind: 'service' }], links: [] } },
  { t: 0, labDefinition: { id: 'first-flow', title: 'Your first flow' } },
  { t: 0, k: { ...emptySnapshot(kafka), running: true, startedAt: 1_000_000, nodes: { payments: node('running') } } },
  { t: 4_000, log: { seq: 1, at: 1_004_000, level: 'warn', kind: 'fault', nodeId: 'payments', message: 'crashed' } },
  { t: 4_100, p: { nodes: { payments: { status: 'down', instances: [{ id: 'payments-1', status: 'down' }] } } } },
  { t: 9_000, p: { running: false } },
  { t: 9_000, end: true },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

describe('a replay', () => {
  it('shows the recorded moment sought, with its log, and its topology; answers the guide; refuses commands', async () => {
    await openReplay({ text: recording, atSeconds: 2 });
    const player = currentPlayer()!;
    const state = () => useLab.getState();
    expect(state().timeMode).toBe('replay');
    expect(state().replay).toMatchObject({ name: 'Checkout', durationMs: 9_000, playing: false });
    expect(state().doc.name).toBe('Checkout');
    expect(state().snapshot?.nodes.payments?.status).toBe('running');
    expect(state().cursorAt).toBe(1_002_000);
    player.seek(5_000);
    expect(state().snapshot?.nodes.payments?.status).toBe('down');
    expect(
      state()
        .log.filter((e) => e.at <= state().cursorAt)
        .map((e) => e.message),
    ).toEqual(['crashed']);
    player.seek(60_000);
    expect(state().cursorAt).toBe(1_009_000);
    expect(state().snapshot?.running).toBe(false);

    state().edit((doc) => ({ ...doc, name: 'edited' }));
    expect(state().doc.name).toBe('Checkout');

    await expect(request('GET', '/api/labs/first-flow')).resolves.toEqual({
      id: 'first-flow',
      title: 'Your first flow',
    });
    await expect(request('POST', '/api/run')).rejects.toThrow(
      'This is a replay of a recorded run: nothing in it can be changed',
    );
    await expect(request('GET', '/api/topics/orders/messages')).rejects.toThrow(
      'A replay shows only what was recorded: /api/topics/orders/messages is not part of it',
    );
  });

  it('says why a text that is not a recording cannot be played', async () => {
    await openReplay({ text: 'not a recording' });
    expect(useLab.getState().replayError).toBe('This is not a recording of the lab: its first line has no header');
  });
});
