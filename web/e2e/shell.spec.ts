import { expect, test } from '@playwright/test';
import { LabPage } from './pages/LabPage';

test('the lab opens with Kafka connected and the live feed open', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.expectKafka('Kafka: connected · 127.0.0.1:');
  await lab.expectLive('Live: connected');
  await expect(page).toHaveTitle('Kafka Microservices Lab');
  await lab.screenshot('shell-connected');
});

test('the theme toggles between light and dark and is remembered', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByRole('button', { name: 'Toggle light and dark theme' }).click();
  const after = await page.evaluate(() => document.documentElement.dataset.theme);
  expect(after).not.toBe(before);
  await page.reload();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(after);
  await lab.screenshot(`shell-${after}`);
});

test('at 1280 px a named workspace keeps the top bar on one row, its name and "Saved" in view', async ({ page }) => {
  const lab = new LabPage(page);
  // The longest kind of name an attendee gets: it is shortened with an ellipsis, the whole name in its title.
  await lab.open('/w/attendee-with-a-long-name/');
  await lab.expectLive('Live: connected');
  const name = page.locator('.workspace-name');
  await expect(name).toHaveAttribute('title', /attendee-with-a-long-name/);
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  const bar = await page.locator('.topbar').boundingBox();
  const run = await page.getByRole('button', { name: 'Run' }).boundingBox();
  const theme = await page.getByRole('button', { name: 'Toggle light and dark theme' }).boundingBox();
  // One row: the first and the last control share a line, and the bar is one control high.
  expect(Math.abs((run?.y ?? 0) - (theme?.y ?? 100))).toBeLessThan(4);
  expect(bar?.height ?? 0).toBeLessThan(60);
  // "Saved" is readable, not squeezed to a sliver.
  expect((await page.getByTestId('save-status').boundingBox())?.width ?? 0).toBeGreaterThan(50);
});
