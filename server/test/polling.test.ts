import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS_DIR } from '../src/lab.js';
import { type LabHarness, startLab } from './lab-harness.js';

/**
 * Lab 14 tells the learner how late the Web shop, polling Catalog every second, learns of a price change. With
 * changes at random moments a change waits for the next poll anywhere from 0 to 1000 ms: the median must sit
 * near half the interval. (With evenly spaced changes it measured 125–146 ms: every change met the poller at
 * the same phase, so the number measured that phase, not the polling.) The Mobile app, reacting, only waits
 * for Kafka's delivery.
 */
describe('polling vs reacting: how late each learns of a change', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('the poller learns about half its interval late (median), the reacting consumer within Kafka’s delivery', async () => {
    const doc = JSON.parse(
      readFileSync(join(LABS_DIR, '14-polling-vs-reacting', 'topology.json'), 'utf8'),
    ) as TopologyDocument;
    expect((await h.put(doc)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    // More changes than the lab's 2/s, so the 5 s median rests on ~50 changes rather than ~10.
    expect((await h.post('/api/nodes/pricing/rate', { perSecond: 10 })).status).toBe(200);
    await h.until('catalog and the mobile app flowing', (s) => (s.nodes['mobile-app']?.processed ?? 0) > 20);
    const start = h.state().nodes['web-shop']!.processed;
    const s = await h.until(
      '60 more changes seen by the web shop',
      (x) => x.nodes['web-shop']!.processed >= start + 60,
      30_000,
    );
    const polled = s.nodes['web-shop']!.ageP50Ms!;
    const reacted = s.nodes['mobile-app']!.ageP50Ms!;
    console.log(`polling every 1000 ms: median age ${polled} ms; reacting: ${reacted} ms`);
    expect(polled).toBeGreaterThan(300);
    expect(polled).toBeLessThan(800);
    expect(reacted).toBeLessThan(200);
    expect(reacted).toBeLessThan(polled);
  });
});
