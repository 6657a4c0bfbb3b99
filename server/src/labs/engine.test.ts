import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../runtime/runtime.js';
import { EventLog } from '../telemetry/log.js';
import { TopologyStore } from '../topology-store.js';
import { LabEngine } from './engine.js';
import { loadLabs } from './loader.js';

const LABS = fileURLToPath(new URL('../../../labs', import.meta.url));

/** The runtime's command surface, recorded: the scenario player is about timing, not Kafka. */
function recordingRuntime() {
  const calls: string[] = [];
  const runtime = {
    isRunning: false,
    run: async () => void calls.push('run'),
    stop: async () => void calls.push('stop'),
    reset: async () => void calls.push('reset'),
    replace: async () => void calls.push('apply'),
    setRate: async (node: string, perSecond: number) => void calls.push(`rate ${node} ${perSecond}`),
    action: async (node: string, request: { action: string }) => {
      calls.push(`${request.action} ${node}`);
      return '';
    },
  };
  return { calls, runtime: runtime as unknown as Runtime };
}

afterEach(() => vi.useRealTimers());

describe('the scenario player', () => {
  it('fires each event at its time, pauses, resumes, and restarts from the beginning', async () => {
    vi.useFakeTimers();
    const { labs } = loadLabs(LABS);
    const { calls, runtime } = recordingRuntime();
    const dataDir = mkdtempSync(join(tmpdir(), 'engine-'));
    const log = new EventLog();
    const engine = new LabEngine({ labs, runtime, store: new TopologyStore(dataDir, 'lab.'), log, dataDir });
    await engine.start('event-driven-flow'); // its scenario: run at 5 s, crash payments at 15 s, revive at 35 s
    calls.length = 0;

    engine.playScenario();
    await vi.advanceTimersByTimeAsync(5_100);
    expect(calls).toEqual(['run']);
    engine.pauseScenario();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual(['run']); // paused: nothing fires
    engine.playScenario();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual(['run', 'crash payments']);
    expect(engine.progress()?.scenario).toMatchObject({ playing: true, fired: 2, total: 3 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['run', 'crash payments', 'revive payments']);
    expect(engine.progress()?.scenario.playing).toBe(false); // the end of the timeline

    engine.restartScenario();
    expect(engine.progress()?.scenario).toMatchObject({ playing: false, elapsedMs: 0, fired: 0 });
    expect(log.recent().map((e) => e.message)).toContain('Scenario at 15s: Crash Payments');
    engine.close();
  });
});
