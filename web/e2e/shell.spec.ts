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
