import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, indexAt, mergePatch, parseRecording } from './recording.js';

// JSON without nulls, as a snapshot is: objects, arrays, numbers, strings, booleans.
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

describe('merge patches of recorded states', () => {
  it('turn any state into any other, and say nothing between equal ones', () => {
    fc.assert(
      fc.property(json, json, (from, to) => {
        const patch = mergePatch(from, to);
        expect(applyMergePatch(from, patch ?? {})).toEqual(to);
        expect(mergePatch(to, structuredClone(to))).toBeUndefined();
      }),
    );
  });

  it('carry only the numbers that changed, and share what did not', () => {
    const shared = { status: 'running', rate: 5 };
    const from = { nodes: { a: { status: 'running', processed: 1, instances: ['x'] }, b: shared } };
    const to = { nodes: { a: { status: 'down', processed: 1, instances: ['x'] }, b: shared } };
    expect(mergePatch(from, to)).toEqual({ nodes: { a: { status: 'down' } } });
    expect(applyMergePatch(from, mergePatch(from, to)!).nodes.b).toBe(shared);
  });

  it('patch a same-length array of objects by index', () => {
    const from = {
      conditions: [
        { value: '1 ev/s', label: 'input rate of Payments' },
        { value: '2 ev/s', label: 'lag' },
      ],
    };
    const to = {
      conditions: [
        { value: '1 ev/s', label: 'input rate of Payments' },
        { value: '3 ev/s', label: 'lag' },
      ],
    };
    expect(mergePatch(from, to)).toEqual({ conditions: { '[]': { 1: { value: '3 ev/s' } } } });
    expect(applyMergePatch(from, mergePatch(from, to)!)).toEqual(to);
  });

  it('delete with null what is gone', () => {
    expect(mergePatch({ lab: { id: 'x' }, running: true }, { running: true })).toEqual({ lab: null });
    expect(applyMergePatch({ lab: { id: 'x' }, running: true }, { lab: null })).toEqual({ running: true });
  });
});

describe('reading a recording', () => {
  const header = { type: 'recording', format: 1, id: 'x', startedAt: 1, name: 'n', serverVersion: '0' };
  const snapshot = {
    running: true,
    kafka: { status: 'up', brokers: [], managed: true },
    nodes: {},
    links: {},
    topics: {},
    flows: {},
  };
  const text = [
    header,
    { t: 0, topology: { version: 1, name: 'n', nodes: [], links: [] } },
    { t: 0, k: snapshot },
    { t: 100, p: { flows: { f: { p50Ms: 1, p99Ms: 2, completed: 3 } } } },
    { t: 150, log: { seq: 1, at: 2, level: 'warn', kind: 'fault', message: 'crash' } },
    { t: 150, labDefinition: { id: 'first-flow', title: 'Your first flow' } },
    { t: 200, p: { running: false } },
    { t: 200, end: true },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');

  it('gives the state at every recorded moment, the log and the topology', () => {
    const replay = parseRecording(`${text}\n`);
    expect(replay.frames.map((f) => f.t)).toEqual([0, 100, 200]);
    expect(replay.frames[1]!.snapshot.flows.f!.completed).toBe(3);
    expect(replay.frames[2]!.snapshot.running).toBe(false);
    expect(replay.log[0]!.entry.message).toBe('crash');
    expect(replay.topologies).toHaveLength(1);
    expect(replay.labs['first-flow']).toEqual({ id: 'first-flow', title: 'Your first flow' });
    expect(replay).toMatchObject({ durationMs: 200, complete: true });
    expect(indexAt(replay.frames, 150)).toBe(1);
    expect(indexAt(replay.frames, -5)).toBe(0);
    expect(indexAt(replay.frames, 10_000)).toBe(2);
  });

  it('leaves out a last line still being written', () => {
    const replay = parseRecording(`${text.split('\n').slice(0, 4).join('\n')}\n{"t":15`);
    expect(replay.frames).toHaveLength(2);
    expect(replay.complete).toBe(false);
  });

  it('says what is wrong with text that is not a recording', () => {
    expect(() => parseRecording('hello')).toThrow('This is not a recording of the lab: its first line has no header');
    expect(() => parseRecording(`${JSON.stringify({ ...header, format: 9 })}\n`)).toThrow(
      'This recording has format 9; this version of the lab plays format 1',
    );
    expect(() => parseRecording(`${JSON.stringify(header)}\n{"t":1,"p":{}}\n{"t":2,"end":true}`)).toThrow(
      'Line 2 of the recording changes a state it never gave',
    );
    expect(() => parseRecording(`${JSON.stringify(header)}\nnope\n{"t":2,"end":true}`)).toThrow(
      'Line 2 of the recording is not JSON',
    );
  });
});
