import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeTopology } from '@lab/model';
import { expect, test } from '@playwright/test';
import { CanvasPage } from './pages/CanvasPage';

test('export then import gives back the same topology', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.loadExample();

  const download = page.waitForEvent('download');
  await canvas.button('Export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.json$/);
  const path = await file.path();
  const exported = JSON.parse(await readFile(path, 'utf8'));
  expect(exported.nodes).toHaveLength(8);

  // Change the canvas, then import the file: the exported topology is back, and saved.
  await canvas.node('billing').click();
  await page.keyboard.press('Delete');
  await expect(canvas.node('billing')).toHaveCount(0);
  await page.getByLabel('Import topology file').setInputFiles(path);
  await expect(canvas.node('billing')).toBeVisible();
  await expect(canvas.nodes()).toHaveCount(8);
  // The server keeps documents with every default filled in: compare like with like.
  await canvas.expectSaved((saved) => expect(saved).toEqual(normalizeTopology(exported)));
});

test('a bad import file shows its problems and changes nothing', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.loadExample();
  await canvas.expectSaved((saved) => expect(saved.nodes).toHaveLength(8));

  await page.getByLabel('Import topology file').setInputFiles(join(import.meta.dirname, 'fixtures/bad-topology.json'));
  const refusal = page.getByRole('alertdialog');
  await expect(refusal).toContainText('bad-topology.json was not imported');
  await expect(refusal).toContainText('nodes.0.partitions must be <= 12');
  await expect(canvas.nodes()).toHaveCount(8);
  expect((await canvas.saved()).nodes).toHaveLength(8);
  await canvas.screenshot('import-refused');

  await page.getByLabel('Import topology file').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ "nodes": '),
  });
  await expect(refusal).toContainText('the file is not JSON');
});

test('a share link carries the topology to another page', async ({ page, context }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.loadExample();
  await canvas.button('Share link').click();
  const link = await page.getByLabel('Share link URL').inputValue();
  expect(link).toMatch(/#topology=[\w-]+$/);

  // Empty the saved topology, then open the link elsewhere: the link alone brings the example back.
  await page.request.put('/api/topology', { data: { version: 1, name: 'Untitled', nodes: [], links: [] } });
  const other = await context.newPage();
  const elsewhere = new CanvasPage(other);
  await elsewhere.open(link);
  await expect(elsewhere.node('billing')).toBeVisible();
  await expect(elsewhere.nodes()).toHaveCount(8);
  await expect(elsewhere.toast('Loaded the shared topology')).toBeVisible();
  // The hash is spent: reloading does not apply the link over later edits.
  expect(new URL(other.url()).hash).toBe('');
  await elsewhere.expectSaved((saved) => expect(saved.nodes).toHaveLength(8));
});
