import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { LiveCanvas, openTopology } from './pages/LiveCanvas';

const SHOTS = process.env.SHOTS_DIR;
const shot = async (live: LiveCanvas, name: string) => {
  await live.screenshot(name);
  if (SHOTS) await live.page.screenshot({ path: `${SHOTS}/${name}.png` });
};

const shop = (onFailure: 'dead-letter' | 'block') => ({
  version: 1,
  name: `Billing, ${onFailure}`,
  nodes: [
    {
      id: 'shop',
      kind: 'source',
      label: 'Shop',
      ratePerSec: 20,
      payload: { orderId: { kind: 'id' } },
      keyField: 'orderId',
      position: { x: 0, y: 60 },
    },
    { id: 'orders', kind: 'topic', label: 'orders', partitions: 3, position: { x: 300, y: 40 } },
    { id: 'billing', kind: 'service', label: 'Billing', processingMs: 5, position: { x: 620, y: 40 } },
  ],
  links: [
    { id: 'produce', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'consume', kind: 'consume', from: 'orders', to: 'billing', onFailure, attempts: 3, backoffMs: 20 },
  ],
});

test.afterEach(async ({ page }) => {
  await page.request.post('/api/stop');
});

test('failed events are parked in orders.dlq on the canvas, and Redrive sends them back', async ({ page }) => {
  const live = new LiveCanvas(page);
  await openTopology(page, shop('dead-letter'));
  await expect(live.node('orders.dlq')).toHaveCount(0); // an empty dead-letter topic is not drawn
  await live.run();
  await expect.poll(() => live.inRate('billing'), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.request.post('/api/nodes/billing/actions', { data: { action: 'errors', value: 1 } });
  const account = page.getByTestId('account-orders-billing');
  await expect(account).toContainText(/dead-lettered [1-9]/, { timeout: 20_000 });
  await expect(live.node('orders.dlq')).toContainText('dead letters of orders');
  await page.request.post('/api/nodes/billing/actions', { data: { action: 'revive' } });
  await expect(live.node('orders.dlq').getByRole('button', { name: 'Redrive to orders' })).toBeEnabled();
  await shot(live, 'dlq-with-redrive');
  await live.node('orders.dlq').getByRole('button', { name: 'Redrive to orders' }).click();
  await expect(page.getByText(/Redrive: \d+ events from orders.dlq back to orders/)).toBeVisible();
  await expect(account).not.toContainText('dead-lettered', { timeout: 20_000 });
  await shot(live, 'dlq-after-redrive');
});

test('a poison pill with "block" stops its partition: the lane turns red, the others flow', async ({ page }) => {
  const live = new LiveCanvas(page);
  await openTopology(page, shop('block'));
  await live.run();
  await expect.poll(() => live.inRate('billing'), { timeout: 30_000 }).toBeGreaterThan(0);
  await live.node('shop').getByRole('button', { name: 'Send a poison pill' }).click();
  const blocked = live.node('orders').locator('.lane-blocked');
  await expect(blocked).toHaveCount(1, { timeout: 20_000 });
  await expect(blocked).toHaveAttribute('title', /poison pill/);
  await page.waitForTimeout(4_000); // let the lag behind the pill grow
  await shot(live, 'blocked-partition');
});

test('the fraud rule as a window: alerts fire on the stream', async ({ page }) => {
  const live = new LiveCanvas(page);
  await openTopology(page, JSON.parse(readFileSync('labs/12-fraud-as-a-stream/topology.json', 'utf8')));
  await live.run();
  await expect(page.getByTestId('behavior-fraud-rule')).toContainText(/[1-9]\d* alerts/, { timeout: 40_000 });
  await shot(live, 'windowed-alert');
});
