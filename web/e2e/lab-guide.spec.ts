import { expect, test } from '@playwright/test';
import { LabGuidePage } from './pages/LabGuidePage';

test.afterEach(async ({ page }) => {
  await page.request.post('/api/labs/leave');
  await page.request.post('/api/stop');
});

test('lab 3 walked through the guide: steps turn green by themselves and the summary shows measured numbers', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  const guide = new LabGuidePage(page);
  await guide.open();
  await guide.start('The same flow, event-driven');
  // The lab's starting topology is on the canvas.
  await expect(page.getByTestId('node-payments')).toBeVisible();
  await expect(page.getByTestId('node-checkout')).toBeVisible();
  await expect(guide.panel).toContainText('Step 1 of 4');
  await guide.page.screenshot({ path: 'web/e2e/artifacts/screenshots/lab-start.png' });

  await guide.press('Run');
  await guide.expectDone('run');
  await expect(guide.explanation('run')).toContainText(/Checkout is producing [\d.,]+ ev\/s/);

  await guide.press('Crash Payments');
  await guide.expectDone('crash');
  await expect(guide.explanation('crash')).toContainText(/kept publishing [\d.,]+ ev\/s/);
  await guide.page.screenshot({ path: 'web/e2e/artifacts/screenshots/lab-crashed.png' });

  await guide.press('Revive Payments');
  await guide.expectDone('recover');
  await expect(guide.explanation('recover')).toContainText(/peaked at [\d,]+ events/);
  await guide.expectDone('count');
  await expect(guide.explanation('count')).toContainText(/processed [\d,]+ events and none is missing/);
  await expect(guide.panel).toContainText('Lab complete');
  await guide.page.screenshot({ path: 'web/e2e/artifacts/screenshots/lab-complete.png' });

  // Progress survives a reload.
  await page.reload();
  await expect(guide.panel).toContainText('Lab complete');
  await expect(guide.step('crash')).toHaveClass(/\bdone\b/);

  // Restart returns to the starting topology and step 1 in one click.
  await guide.panel.getByRole('button', { name: 'Restart lab' }).click();
  await expect(guide.panel).toContainText('Step 1 of 4');
  await expect(guide.step('run')).not.toHaveClass(/\bdone\b/);
});
