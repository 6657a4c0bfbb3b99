import { expect, test } from '@playwright/test';
import { CanvasPage } from './pages/CanvasPage';

test('undo and redo step through edits, by button and by keyboard, and the server follows', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await expect(canvas.button('Undo')).toBeDisabled();

  await canvas.drop('Source', { x: 150, y: 150 });
  await canvas.drop('Topic', { x: 450, y: 150 });
  await expect(canvas.nodes()).toHaveCount(2);

  await canvas.button('Undo').click();
  await expect(canvas.nodes()).toHaveCount(1);
  await expect(canvas.node('topic-1')).toHaveCount(0);
  await canvas.expectSaved((saved) => expect(saved.nodes.map((n) => n.id)).toEqual(['source-1']));

  await canvas.button('Redo').click();
  await expect(canvas.node('topic-1')).toBeVisible();
  await expect(canvas.button('Redo')).toBeDisabled();

  // The keyboard: Ctrl+Z twice empties the canvas, Ctrl+Shift+Z brings the source back.
  await canvas.pane.click({ position: { x: 600, y: 350 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(canvas.nodes()).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(canvas.node('source-1')).toBeVisible();
  await canvas.expectSaved((saved) => expect(saved.nodes.map((n) => n.id)).toEqual(['source-1']));
});

test('delete and duplicate from the keyboard are undoable too', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.drop('Service', { x: 200, y: 150 });
  await canvas.node('service-1').click();

  await page.keyboard.press('Control+d');
  await expect(canvas.nodes()).toHaveCount(2);
  await page.keyboard.press('Delete');
  await expect(canvas.nodes()).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(canvas.nodes()).toHaveCount(2);
});
