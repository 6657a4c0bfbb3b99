import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry, RecordingInfo } from '@lab/model';
import { expect, type Page, test } from '@playwright/test';
import { LiveCanvas, openTopology } from './pages/LiveCanvas';

const SHOTS = process.env.SHOTS_DIR ?? 'web/e2e/artifacts/screenshots';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

const CHECKOUT = {
  version: 1,
  name: 'Checkout, recorded',
  nodes: [
    { id: 'checkout', kind: 'source', label: 'Checkout', ratePerSec: 30, position: { x: 0, y: 60 } },
    { id: 'orders', kind: 'topic', label: 'orders', partitions: 3, position: { x: 300, y: 40 } },
    { id: 'payments', kind: 'service', label: 'Payments', processingMs: 5, position: { x: 620, y: 40 } },
  ],
  links: [
    { id: 'produce', kind: 'produce', from: 'checkout', to: 'orders' },
    { id: 'consume', kind: 'consume', from: 'orders', to: 'payments' },
  ],
};

/** Errors a page throws, collected from the moment it is created. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

// One run, recorded while it happens: rewound while live and brought back, then replayed read-only and opened
// at the crash by a shared link, then exported as one HTML file that plays with the network blocked.
test('a crash rewound live, replayed at the crash, and exported to play from file://', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const errors = pageErrors(page);
  const live = new LiveCanvas(page);
  await openTopology(page, CHECKOUT);
  await live.run();
  await expect(live.status('payments')).toContainText('running', { timeout: 30_000 });
  await live.expectLag('consume', (lag) => lag < 30);
  await page.waitForTimeout(3_000);
  await live.crash('Payments');
  await expect(live.status('payments')).toContainText('down');
  await live.expectLag('consume', (lag) => lag > 100);

  // Rewind: back to the first moment kept, Payments is running again on the canvas; the run goes on.
  const rewind = page.getByRole('region', { name: 'Rewind' });
  await expect(rewind.locator('.timeline-badge')).toHaveText('Live');
  await expect(rewind.getByRole('button', { name: /^Go to: .*crashed/ })).toHaveCount(1);
  await rewind.getByRole('slider', { name: 'Rewind the run' }).press('Home');
  await expect(rewind.locator('.timeline-badge')).toHaveText('Rewound');
  await expect(live.status('payments')).toContainText('running');
  await expect(page.getByRole('log', { name: 'Event log' })).not.toContainText('payments crashed');
  await shot(page, 'rewound-before-crash');
  await rewind.getByRole('button', { name: 'Back to live' }).click();
  await expect(rewind.locator('.timeline-badge')).toHaveText('Live');
  await expect(live.status('payments')).toContainText('down');
  await live.expectLag('consume', (lag) => lag > 100);

  await page.waitForTimeout(2_000);
  await page.request.post('/api/stop', { data: {} });
  await expect
    .poll(async () => ((await (await page.request.get('/api/recordings')).json()) as RecordingInfo[])[0]?.live)
    .toBe(false);
  const [recording] = (await (await page.request.get('/api/recordings')).json()) as RecordingInfo[];
  const log = (await (await page.request.get('/api/log')).json()) as LogEntry[];
  const crashAt = log.filter((e) => e.kind === 'fault' && e.nodeId === 'payments').at(-1)!.at;

  // A shared moment: the replay opens paused two seconds after the crash, read-only.
  const replay = await browser.newPage();
  const replayErrors = pageErrors(replay);
  const seconds = (crashAt - recording!.startedAt) / 1000 + 2;
  await replay.goto(`/#replay=${recording!.id}&t=${seconds.toFixed(1)}`);
  const bar = replay.getByRole('region', { name: 'Replay controls' });
  await expect(bar.locator('.timeline-badge')).toHaveText('Replay');
  await expect(bar.getByRole('button', { name: 'Play' })).toBeVisible();
  const replayed = new LiveCanvas(replay);
  await expect(replayed.status('payments')).toContainText('down');
  await replayed.expectLag('consume', (lag) => lag > 0);
  await expect(replay.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
  await expect(replay.getByRole('button', { name: 'Crash Payments', exact: true })).toHaveCount(0);
  await expect(replay.getByRole('log', { name: 'Event log' })).toContainText('payments crashed');
  await shot(replay, 'replay-at-crash');
  // Seek back before the crash: the recorded state there.
  await bar.getByRole('slider', { name: 'Position in the recording' }).press('Home');
  await expect(replayed.status('payments')).toContainText('running');

  // 8x from the start: the frame rate the replay reaches.
  await bar.getByRole('combobox', { name: 'Speed' }).selectOption('8');
  await bar.getByRole('button', { name: 'Play' }).click();
  await expect(bar.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 30_000 });
  const stats = await replay.evaluate(
    () => (globalThis as { labReplay?: { stats: object; durationMs: number } }).labReplay,
  );
  const { framesShown, playingMs } = stats!.stats as { framesShown: number; playingMs: number };
  console.log(
    `replay at 8x: ${framesShown} recorded states shown in ${(playingMs / 1000).toFixed(1)} s = ${(framesShown / (playingMs / 1000)).toFixed(1)} per second (recording ${(stats!.durationMs / 1000).toFixed(1)} s)`,
  );
  expect(replayErrors).toEqual([]);

  // The exported page, opened from disk with every network request refused.
  const html = await (await page.request.get(`/api/recordings/${recording!.id}/replay.html`)).text();
  const file = join(mkdtempSync(join(tmpdir(), 'replay-export-')), 'replay.html');
  writeFileSync(file, html);
  const offline = await browser.newContext({ offline: true });
  const exported = await offline.newPage();
  const exportErrors = pageErrors(exported);
  const requests: string[] = [];
  await exported.route(/^(?!file:|data:)/, (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await exported.goto(`file://${file}`);
  const exportedBar = exported.getByRole('region', { name: 'Replay controls' });
  await expect(exportedBar.locator('.timeline-badge')).toHaveText('Replay');
  await exportedBar.getByRole('combobox', { name: 'Speed' }).selectOption('8');
  // It started playing by itself; at 8x it reaches the end and stops there.
  await expect(exportedBar.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 30_000 });
  await expect(exportedBar.locator('.timeline-time')).toHaveText(/^(\d+:\d\d) \/ \1$/);
  await expect(new LiveCanvas(exported).status('payments')).toBeVisible();
  await shot(exported, 'exported-replay-at-end');
  expect(exportErrors).toEqual([]);
  expect(requests).toEqual([]);
  await offline.close();
  expect(errors).toEqual([]);
});
