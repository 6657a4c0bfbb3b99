import { expect, test } from '@playwright/test';
import { CanvasPage } from './pages/CanvasPage';
import { LiveCanvas, openTopology } from './pages/LiveCanvas';

// The one spec with the moving dots moving (the others run with reduced motion: playwright.config.ts).
test.use({ reducedMotion: 'no-preference' });

test.afterEach(async ({ page }) => {
  await page.request.post('/api/stop', { data: {} });
});

test('built by drag and drop alone, it runs: rates above zero and its messages in the browser', async ({ page }) => {
  const canvas = new CanvasPage(page);
  const live = new LiveCanvas(page);
  await page.request.post('/api/stop', { data: {} });
  await canvas.openEmpty();
  await canvas.drop('Source', { x: 120, y: 120 });
  await canvas.drop('Topic', { x: 400, y: 120 });
  await canvas.drop('Service', { x: 680, y: 120 });
  await canvas.connect('source-1', 'topic-1');
  await canvas.connect('topic-1', 'service-1');
  await expect(canvas.edges()).toHaveCount(2);
  await expect(canvas.saveStatus).toContainText('Saved');

  await live.run();
  await expect(live.status('service-1')).toContainText('running', { timeout: 30_000 });
  await expect.poll(() => live.inRate('service-1'), { timeout: 30_000 }).toBeGreaterThan(0);
  // Events flowing: dots travel the links.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          document
            .getAnimations()
            .filter(
              (a) =>
                a.playState === 'running' &&
                a.effect instanceof KeyframeEffect &&
                a.effect.target?.classList.contains('moving-dot'),
            ).length,
      ),
    )
    .toBeGreaterThan(0);
  await expect(live.node('source-1')).toContainText(/sending [1-9]/);
  await live.screenshot('dnd-running');

  await page.getByRole('tab', { name: 'Messages' }).click();
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return page.locator('.message-table tbody tr').count();
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  const row = page.locator('.message-table tbody tr').first();
  await expect(row).toContainText('lab-trace-id');
  await expect(row).toContainText('"type": "event"');
  // A trace id opens that event's journey, found by id: the hop that read it, with its times.
  await row.getByTitle('Follow this event across all topics').click();
  await expect(page.getByText('Journey of trace')).toBeVisible();
  await expect(page.getByTestId('journey-hop').first()).toContainText(/service-1/);
  await live.screenshot('dnd-message-browser');
});

test('a crashed consumer: the lag on its edge grows, and drains to zero once it is revived', async ({ page }) => {
  const live = new LiveCanvas(page);
  await openTopology(page, {
    version: 1,
    name: 'Checkout, event-driven',
    nodes: [
      { id: 'checkout', kind: 'source', label: 'Checkout', ratePerSec: 30, position: { x: 0, y: 60 } },
      { id: 'orders', kind: 'topic', label: 'orders', partitions: 3, position: { x: 300, y: 40 } },
      { id: 'payments', kind: 'service', label: 'Payments', processingMs: 5, position: { x: 620, y: 40 } },
    ],
    links: [
      { id: 'produce', kind: 'produce', from: 'checkout', to: 'orders' },
      { id: 'consume', kind: 'consume', from: 'orders', to: 'payments' },
    ],
  });
  await live.run();
  await expect(live.status('payments')).toContainText('running', { timeout: 30_000 });
  await live.expectLag('consume', (lag) => lag < 30);
  await live.screenshot('lag-running');

  await live.crash('Payments');
  await expect(live.status('payments')).toContainText('down');
  await live.expectLag('consume', (lag) => lag > 100);
  await expect(live.node('checkout')).toContainText(/sending [1-9]/); // the producer did not notice
  await expect(page.getByRole('tabpanel')).toContainText(/payments crashed/i);
  await live.screenshot('lag-crashed');

  await live.revive('Payments');
  await expect(live.status('payments')).toContainText('running', { timeout: 30_000 });
  await live.expectLag('consume', (lag) => lag === 0, 45_000);
  await live.screenshot('lag-recovered');
});

test('the same failure spreads upstream through REST calls and stays put behind a topic', async ({ page }) => {
  const live = new LiveCanvas(page);
  await openTopology(page, {
    version: 1,
    name: 'REST chain vs event-driven',
    nodes: [
      { id: 'web', kind: 'source', label: 'Web', ratePerSec: 15, position: { x: 0, y: 0 } },
      { id: 'gateway', kind: 'service', label: 'Gateway', processingMs: 5, position: { x: 280, y: 0 } },
      { id: 'orders-api', kind: 'service', label: 'Orders API', processingMs: 5, position: { x: 560, y: 0 } },
      { id: 'stock', kind: 'service', label: 'Stock', processingMs: 5, position: { x: 840, y: 0 } },
      { id: 'shop', kind: 'source', label: 'Shop', ratePerSec: 15, position: { x: 0, y: 260 } },
      { id: 'orders', kind: 'topic', label: 'orders', partitions: 3, position: { x: 280, y: 240 } },
      { id: 'stock-events', kind: 'service', label: 'Stock (events)', processingMs: 5, position: { x: 560, y: 240 } },
    ],
    links: [
      { id: 'web-gateway', kind: 'call', from: 'web', to: 'gateway', timeoutMs: 2000 },
      { id: 'gateway-orders', kind: 'call', from: 'gateway', to: 'orders-api', timeoutMs: 2000 },
      { id: 'orders-stock', kind: 'call', from: 'orders-api', to: 'stock', timeoutMs: 1000 },
      { id: 'shop-orders', kind: 'produce', from: 'shop', to: 'orders' },
      { id: 'orders-stockevents', kind: 'consume', from: 'orders', to: 'stock-events' },
    ],
  });
  await live.run();
  await expect(live.status('stock')).toContainText('running', { timeout: 30_000 });
  await expect(live.status('stock-events')).toContainText('running', { timeout: 30_000 });
  await expect(live.node('gateway')).not.toContainText('failing');

  await live.crash('Stock');
  await live.crash('Stock (events)');
  // REST: the end is down and every caller up the chain fails with it.
  await expect(live.node('orders-api')).toContainText(/100% of inputs failing/, { timeout: 20_000 });
  await expect(live.node('gateway')).toContainText(/100% of inputs failing/, { timeout: 20_000 });
  await expect(page.getByTestId('edge-web-gateway')).toHaveClass(/failing/);
  // Events: the consumer is down, its producer carries on without an error; the lag holds the work.
  await expect(live.status('stock-events')).toContainText('down');
  await expect(live.node('shop')).toContainText(/sending [1-9]/);
  await expect(live.node('shop')).not.toContainText('failing');
  await live.expectLag('orders-stockevents', (lag) => lag > 50);
  await live.screenshot('cascade-vs-isolated');
});
