import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { EXAMPLE_TOPOLOGY } from '../src/topology/example';
import { CanvasPage } from './pages/CanvasPage';
import { LiveCanvas, openTopology } from './pages/LiveCanvas';

/**
 * The canvas on a projector: the example topology under fault, checked by geometry (boxes, not pixels) at
 * both common projector resolutions, in light, dark and presenter mode. Screenshots of each go to SHOTS_DIR.
 */
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
const MODES = ['light', 'dark', 'presenter'] as const;
const SHOTS = process.env.SHOTS_DIR ?? 'web/e2e/artifacts/screenshots';

type Box = { x: number; y: number; width: number; height: number; name: string };

test.afterEach(async ({ page }) => {
  await page.request.post('/api/stop', { data: {} });
});

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every pair of boxes from `a` and `b` that share area, by name. */
function collisions(a: Box[], b: Box[], same = false): string[] {
  const found: string[] = [];
  a.forEach((x, i) => {
    b.forEach((y, j) => {
      if ((!same || j > i) && overlaps(x, y)) found.push(`${x.name} × ${y.name}`);
    });
  });
  return found;
}

/** The boxes of what the canvas draws, in window pixels. */
async function canvasBoxes(page: Page) {
  return page.evaluate(() => {
    const boxes = (selector: string, name: (el: Element) => string) =>
      Array.from(document.querySelectorAll(selector)).map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height, name: name(el) };
      });
    return {
      nodes: boxes('.react-flow__node', (el) => `node ${(el as HTMLElement).dataset.id}`),
      labels: boxes('.lag-buffer, .call-label', (el) => (el as HTMLElement).dataset.testid ?? 'label'),
      minimap: boxes('.react-flow__minimap', () => 'minimap'),
      controls: boxes('.react-flow__controls', () => 'zoom controls'),
      pane: boxes('.react-flow', () => 'canvas')[0]!,
    };
  });
}

async function setMode(page: Page, mode: (typeof MODES)[number]) {
  const root = page.locator('html');
  if ((await root.getAttribute('data-presenter')) === 'true') await page.keyboard.press('Escape');
  const theme = mode === 'dark' ? 'dark' : 'light';
  if ((await root.getAttribute('data-theme')) !== theme) {
    await page.getByRole('button', { name: 'Toggle light and dark theme' }).click();
  }
  if (mode === 'presenter') await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(root).toHaveAttribute('data-presenter', String(mode === 'presenter'));
  // Fit the topology to the new pane, and let the fit's animation end.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await page.waitForTimeout(700);
}

/** Opens a service's Break menu and checks that every item is inside the window and is what a click hits. */
async function expectMenuUsable(page: Page, label: string) {
  await page.getByRole('button', { name: `Break ${label}…`, exact: true }).click();
  const menu = page.getByRole('menu', { name: `Faults for ${label}` });
  await expect(menu).toBeVisible();
  const viewport = page.viewportSize()!;
  const items = await menu.getByRole('menuitem').all();
  expect(items.length).toBeGreaterThan(5);
  for (const item of items) {
    const box = (await item.boundingBox())!;
    const name = await item.getAttribute('aria-label');
    expect(box.x, `${name}: left edge in the window`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${name}: top edge in the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name}: right edge in the window`).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height, `${name}: bottom edge in the window`).toBeLessThanOrEqual(viewport.height);
    // What a click at the item's centre lands on is the item itself: nothing (minimap, dock) covers it.
    const hit = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest('[role="menuitem"]')?.getAttribute('aria-label'),
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    expect(hit, `${name}: clickable`).toBe(name);
  }
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
}

async function breakTheExample(page: Page) {
  const live = new LiveCanvas(page);
  await openTopology(page, EXAMPLE_TOPOLOGY);
  await live.run();
  await expect(live.status('mailer')).toContainText('running', { timeout: 45_000 });
  await expect(live.status('fraud')).toContainText('running', { timeout: 45_000 });
  const act = async (id: string, action: string, value?: number) => {
    const res = await page.request.post(`/api/nodes/${id}/actions`, { data: { action, value } });
    expect(res.status(), await res.text()).toBe(200);
  };
  await act('mailer', 'crash'); // its lag grows on the invoices link
  await act('fraud', 'hang'); // Payments' calls to it time out: amber, "timing out"
  await live.expectLag('invoices-mailer', (lag) => lag > 0);
  await act('billing', 'errors', 1); // every input fails: "failing", not "running" (and invoices stop growing)
  await expect(live.status('billing')).toContainText('failing', { timeout: 20_000 });
  await expect(page.getByTestId('call-payments-fraud')).toContainText('timing out', { timeout: 20_000 });
  return live;
}

test('the example under fault at projector sizes, light, dark and presenter: nothing covered, every item reachable', async ({
  page,
}) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  await breakTheExample(page);

  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const mode of MODES) {
      const where = `${size.width}x${size.height} ${mode}`;
      await setMode(page, mode);
      const boxes = await canvasBoxes(page);
      // Every node of the example, and the dead-letter topic the canvas adds once failed events land in it.
      expect(boxes.nodes.length, where).toBeGreaterThanOrEqual(EXAMPLE_TOPOLOGY.nodes.length);
      expect(boxes.labels.length, `${where}: lag and call labels drawn`).toBeGreaterThanOrEqual(2);
      // Nothing hidden: every node inside the canvas after the fit.
      const outside = boxes.nodes.filter(
        (n) =>
          n.x < boxes.pane.x ||
          n.y < boxes.pane.y ||
          n.x + n.width > boxes.pane.x + boxes.pane.width ||
          n.y + n.height > boxes.pane.y + boxes.pane.height,
      );
      expect(
        outside.map((n) => n.name),
        `${where}: nodes outside the canvas`,
      ).toEqual([]);
      expect(collisions(boxes.minimap, boxes.nodes), `${where}: minimap over nodes`).toEqual([]);
      expect(collisions(boxes.controls, boxes.nodes), `${where}: zoom controls over nodes`).toEqual([]);
      expect(collisions(boxes.labels, boxes.labels, true), `${where}: labels over labels`).toEqual([]);
      expect(collisions(boxes.labels, boxes.nodes), `${where}: labels over nodes`).toEqual([]);
      await expectMenuUsable(page, 'Payments'); // bottom row, just above the dock
      await expectMenuUsable(page, 'Mailer'); // the right edge
      await page.screenshot({ path: `${SHOTS}/example-under-fault-${size.width}x${size.height}-${mode}.png` });
    }
    await setMode(page, 'light');
  }
});

test('the event log keeps its newest entry in view as entries arrive, in every mode and size', async ({ page }) => {
  test.setTimeout(120_000);
  const live = await breakTheExample(page);
  await page.getByRole('tab', { name: 'Event log' }).click();
  const log = page.getByRole('log', { name: 'Event log' });
  let n = 0;
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const mode of MODES) {
      await setMode(page, mode);
      // New entries: a fault toggled on a live service logs a line each time.
      for (let i = 0; i < 6; i++) {
        const res = await page.request.post('/api/nodes/billing/actions', { data: { action: 'slow', value: ++n } });
        expect(res.status()).toBe(200);
      }
      await expect(log.locator('li').last()).toContainText(`slowed by ${n} ms`);
      await expect
        .poll(() =>
          log.evaluate((el) => {
            const last = el.querySelector('li:last-child')!.getBoundingClientRect();
            const box = el.getBoundingClientRect();
            const inView = last.bottom <= box.bottom + 1 && last.top >= box.top - 1;
            const numbers = { last: [last.top, last.bottom], box: [box.top, box.bottom], scrollTop: el.scrollTop };
            return inView ? 'in view' : JSON.stringify({ ...numbers, height: [el.scrollHeight, el.clientHeight] });
          }),
        )
        .toBe('in view');
    }
  }
  await live.screenshot('event-log-following');
});

test('without a mouse: select a service, open its Break menu, crash it and revive it', async ({ page }) => {
  test.setTimeout(120_000);
  const live = new LiveCanvas(page);
  await openTopology(page, EXAMPLE_TOPOLOGY);
  await live.run();
  await expect(live.status('payments')).toContainText('running', { timeout: 45_000 });

  // The node is a focusable element; Enter selects it.
  const card = page.locator('.react-flow__node[data-id="payments"]');
  await card.focus();
  await page.keyboard.press('Enter');
  await expect(card).toHaveClass(/selected/);

  const tabTo = async (name: string) => {
    for (let i = 0; i < 40; i++) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === name) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached "${name}"`);
  };
  await tabTo('Crash Payments');
  await page.keyboard.press('Enter');
  await expect(live.status('payments')).toContainText('down', { timeout: 20_000 });

  await tabTo('Break Payments…');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu', { name: 'Faults for Payments' })).toBeVisible();
  // Focus starts on the first item; arrows move through them.
  for (let i = 0; i < 12; i++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === 'Revive Payments') break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await expect(live.status('payments')).toContainText('running', { timeout: 30_000 });
});

test('Ctrl+A selects the nodes, a changed topology drops a stale selection, New and Example swap the canvas', async ({
  page,
}) => {
  const canvas = new CanvasPage(page);
  await openTopology(page, EXAMPLE_TOPOLOGY);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+a');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(EXAMPLE_TOPOLOGY.nodes.length);
  // The page's text is not what got selected.
  expect(await page.evaluate(() => String(window.getSelection()))).toBe('');

  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Load the example topology' })).toBeVisible();
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);
  await expect(canvas.saveStatus).toContainText('Saved');

  await page.getByRole('button', { name: 'Example', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(EXAMPLE_TOPOLOGY.nodes.length);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
});

/** The views a learner uses, each audited by axe: no serious or critical violation. */
test('accessibility: empty canvas, running example, lab guide and every dock tab pass axe', async ({ page }) => {
  test.setTimeout(120_000);
  const audit = async (where: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, where).toEqual([]);
  };
  const canvas = new CanvasPage(page);
  await canvas.openEmpty();
  await audit('empty canvas');

  const live = new LiveCanvas(page);
  await openTopology(page, EXAMPLE_TOPOLOGY);
  await live.run();
  await expect(live.status('billing')).toContainText('running', { timeout: 45_000 });
  await audit('running example');
  for (const tab of ['Event log', 'Messages', 'Charts']) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForTimeout(500);
    await audit(`dock: ${tab}`);
  }
  await page.getByRole('button', { name: 'Labs', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Lab guide' })).toBeVisible();
  await audit('lab guide');
});
