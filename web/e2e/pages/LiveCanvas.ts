import { expect, type Locator, type Page } from '@playwright/test';

/** Reading a running topology off the canvas, as a learner does: statuses, rates, lag, failing calls. */
export class LiveCanvas {
  constructor(readonly page: Page) {}

  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }

  status(id: string): Locator {
    return this.node(id).locator('.status-badge');
  }

  /** The number in a service card's "in … ev/s". */
  async inRate(id: string): Promise<number> {
    return Number(((await this.node(id).locator('dd').first().textContent()) ?? '').replace(/[^0-9.]/g, ''));
  }

  /** The number on a consume edge's lag buffer. */
  async lag(linkId: string): Promise<number> {
    return Number(((await this.page.getByTestId(`lag-${linkId}`).textContent()) ?? '').replace(/[^0-9]/g, ''));
  }

  async expectLag(linkId: string, check: (lag: number) => boolean, timeout = 30_000) {
    await expect.poll(async () => check(await this.lag(linkId)), { timeout, message: `lag on ${linkId}` }).toBe(true);
  }

  async run() {
    await this.page.getByRole('button', { name: 'Run', exact: true }).click();
  }

  async crash(label: string) {
    await this.page.getByRole('button', { name: `Crash ${label}`, exact: true }).click();
  }

  async revive(label: string) {
    await this.page.getByRole('button', { name: `Break ${label}…`, exact: true }).click();
    await this.page.getByRole('menuitem', { name: `Revive ${label}`, exact: true }).click();
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `web/e2e/artifacts/screenshots/${name}.png` });
  }
}

/** Puts a topology on the server and opens the canvas on it, stopped and reset first. */
export async function openTopology(page: Page, topology: unknown) {
  await page.request.post('/api/stop', { data: {} });
  await page.request.post('/api/reset', { data: {} });
  const res = await page.request.put('/api/topology', { data: topology });
  expect(res.status(), await res.text()).toBe(200);
  await page.goto('/');
  await expect(page.getByTestId('live-status')).toContainText('Live: connected');
}
