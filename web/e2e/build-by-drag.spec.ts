import { expect, test } from '@playwright/test';
import { CanvasPage } from './pages/CanvasPage';
import { InspectorPage } from './pages/InspectorPage';

test('a source -> topic -> service topology is built by drag and drop alone and saved', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();

  await canvas.drop('Source', { x: 120, y: 120 });
  await canvas.drop('Topic', { x: 400, y: 120 });
  await canvas.drop('Service', { x: 680, y: 120 });
  await expect(canvas.nodes()).toHaveCount(3);

  await canvas.connect('source-1', 'topic-1');
  await canvas.connect('topic-1', 'service-1');
  await expect(canvas.edges()).toHaveCount(2);

  await canvas.expectSaved((saved) => {
    expect(saved.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['source-1', 'source'],
      ['topic-1', 'topic'],
      ['service-1', 'service'],
    ]);
    expect(saved.links.map((l) => [l.kind, l.from, l.to])).toEqual([
      ['produce', 'source-1', 'topic-1'],
      ['consume', 'topic-1', 'service-1'],
    ]);
    // Positions are part of the document: where the user dropped a node is where it opens next time.
    expect(saved.nodes.every((n) => n.position !== undefined)).toBe(true);
  });
  await canvas.screenshot('built-by-drag');

  // Reload: the canvas comes back from the server as it was left.
  await page.reload();
  await expect(canvas.nodes()).toHaveCount(3);
  await expect(canvas.edges()).toHaveCount(2);
});

test('a link that means nothing is refused with the rule, and nothing is added', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.drop('Service', { x: 150, y: 150 });
  await canvas.drop('Source', { x: 450, y: 150 });

  await canvas.drop('Topic', { x: 150, y: 350 });
  await canvas.drop('Topic', { x: 450, y: 350 });

  await canvas.connect('service-1', 'source-1');
  await expect(canvas.toast('A service cannot link to a source')).toBeVisible();
  await canvas.connect('topic-1', 'topic-2');
  await expect(canvas.toast('A topic cannot link to a topic: put a service between them')).toBeVisible();
  await expect(canvas.edges()).toHaveCount(0);
});

test('the inspector edits the selected node and shows a problem beside its field', async ({ page }) => {
  const canvas = new CanvasPage(page);
  const inspector = new InspectorPage(page);
  await canvas.openEmpty();
  await canvas.drop('Topic', { x: 300, y: 150 });
  await canvas.node('topic-1').click();
  await expect(inspector.heading()).toHaveText('Topic');

  await inspector.set('Partitions', '6');
  await canvas.expectSaved((saved) => expect(saved.nodes[0]).toMatchObject({ id: 'topic-1', partitions: 6 }));
  await expect(canvas.node('topic-1').getByRole('listitem')).toHaveCount(6);

  await inspector.set('Partitions', '99');
  await inspector.expectProblem('must be <= 12');
  await expect(canvas.saveStatus).toContainText('Not saved');
  // The server keeps the last valid document.
  expect((await canvas.saved()).nodes[0]).toMatchObject({ partitions: 6 });
});

test('a node is renamed in place by double-clicking its name', async ({ page }) => {
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await canvas.drop('Service', { x: 250, y: 150 });

  await canvas.node('service-1').getByText('Service 1').dblclick();
  const name = page.getByLabel('Name of Service 1');
  await name.fill('Billing');
  await name.press('Enter');
  await expect(canvas.node('service-1')).toContainText('Billing');
  await expect(page.getByRole('button', { name: 'Crash Billing' })).toBeVisible();
  await canvas.expectSaved((saved) => expect(saved.nodes[0]).toMatchObject({ id: 'service-1', label: 'Billing' }));
});
