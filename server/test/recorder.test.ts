import { parseRecording, type RecordingInfo } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS_DIR } from '../src/lab.js';
import { loadLabs } from '../src/labs/loader.js';
import { solveLab } from '../src/labs/solve.js';
import { type LabHarness, startLab } from './lab-harness.js';

const sideBySide = loadLabs(LABS_DIR).labs.find((l) => l.lab.id === 'side-by-side')!;

// Lab 4 (REST and events side by side, both Payments crashed and revived) solved on the real broker while the
// flight recorder runs: the recording must hold the crash as the canvas showed it, the lag it built, every step's
// progress, and stay within a megabyte per minute.
describe('the flight recorder on the real broker', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab({ minSecondsScale: 0.2 });
  });
  afterAll(() => h.close());

  it('records lab 4 solved: the crash, the lag, the steps, at most 1 MB a minute', async () => {
    await solveLab(h.app, h.lab, sideBySide);
    expect((await h.post('/api/stop')).status).toBe(200);
    await h.until('the run stopped', (s) => !s.running);
    await new Promise((r) => setTimeout(r, 300));
    await h.lab.recorder.settled();
    const [info] = (await h.app.inject({ url: '/api/recordings' })).json() as RecordingInfo[];
    expect(info).toMatchObject({ labId: 'side-by-side', live: false, name: sideBySide.lab.title });
    const text = (await h.app.inject({ url: `/api/recordings/${info!.id}` })).body;
    const replay = parseRecording(text);
    expect(replay.complete).toBe(true);

    const crash = replay.log.find((l) => l.entry.kind === 'fault' && l.entry.nodeId === 'ev-payments');
    expect(crash, JSON.stringify(replay.log.map((l) => l.entry.message))).toBeDefined();
    const afterCrash = replay.frames.filter((f) => f.t > crash!.t);
    expect(afterCrash.some((f) => f.snapshot.nodes['ev-payments']?.status === 'down')).toBe(true);
    const maxLag = Math.max(...afterCrash.map((f) => f.snapshot.links['e-consume']?.lag ?? 0));
    expect(maxLag).toBeGreaterThan(0);
    const last = replay.frames.at(-1)!.snapshot;
    expect(last.lab?.steps.every((s) => s.done && s.explanation)).toBe(true);
    expect(last.running).toBe(false);
    // Trace ids of sampled events ride along for the moving dots.
    expect(replay.frames.some((f) => (f.snapshot.links['e-consume']?.samples.length ?? 0) > 0)).toBe(true);

    const minutes = replay.durationMs / 60_000;
    const perMinute = Buffer.byteLength(text) / minutes;
    console.log(
      `lab 4 recording: ${(Buffer.byteLength(text) / 1024).toFixed(0)} kB over ${(replay.durationMs / 1000).toFixed(1)} s, ` +
        `${replay.frames.length} frames (${(replay.frames.length / (replay.durationMs / 1000)).toFixed(1)}/s): ` +
        `${(perMinute / 1024).toFixed(0)} kB/min before compression, peak lag ${maxLag}`,
    );
    expect(perMinute).toBeLessThanOrEqual(1024 * 1024);
  });
});
