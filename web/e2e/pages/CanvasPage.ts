import { expect, type Locator, type Page } from '@playwright/test';

type Kind = 'Source' | 'Service' | 'Topic';
export interface SavedTopology {
  name: string;
  nodes: { id: string; kind: string; label?: string; position?: { x: number; y: number } }[];
  links: { id: string; kind: string; from: string; to: string }[];
}

export const EMPTY_TOPOLOGY = { version: 1, name: 'Untitled', nodes: [], links: [] };

/** The canvas as a user works it: the palette, nodes and links, the top bar's document commands. */
export class CanvasPage {
  readonly canvas: Locator;
  readonly palette: Locator;
  readonly pane: Locator;
  readonly saveStatus: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByLabel('Topology canvas');
    this.palette = page.getByRole('navigation', { name: 'Palette' });
    this.pane = this.canvas.locator('.react-flow__pane');
    this.saveStatus = page.getByTestId('save-status');
  }

  /** Opens the lab on an empty topology (saved on the server first, so every spec starts from the same place). */
  async openEmpty() {
    const reset = await this.page.request.put('/api/topology', { data: EMPTY_TOPOLOGY });
    expect(reset.status(), await reset.text()).toBe(200);
    await this.open();
    await expect(this.page.getByRole('button', { name: 'Load the example topology' })).toBeVisible();
  }

  async open(url = '/') {
    await this.page.goto(url);
    await expect(this.canvas).toBeVisible();
  }

  paletteItem(kind: Kind): Locator {
    return this.palette.getByRole('button', { name: kind, exact: true });
  }

  /** HTML5 drag and drop from the palette, dropped at (x, y) inside the canvas. */
  async drop(kind: Kind, at: { x: number; y: number }) {
    await this.paletteItem(kind).dragTo(this.pane, { targetPosition: at });
  }

  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }

  edge(id: string): Locator {
    return this.page.getByTestId(`edge-${id}`);
  }

  nodes(): Locator {
    return this.canvas.locator('[data-testid^="node-"]');
  }

  edges(): Locator {
    return this.canvas.locator('[data-testid^="edge-"]');
  }

  /**
   * Drags from one node's out handle to another node's in handle, the way a user links two nodes; onto the
   * node's middle when it has no in handle (a source).
   */
  async connect(fromId: string, toId: string) {
    const from = this.node(fromId).locator('.react-flow__handle.source');
    const handle = this.node(toId).locator('.react-flow__handle.target');
    const to = (await handle.count()) ? handle : this.node(toId);
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  async loadExample() {
    await this.page.getByRole('button', { name: 'Load the example topology' }).click();
    await expect(this.node('billing')).toBeVisible();
  }

  button(name: 'Undo' | 'Redo' | 'Export' | 'Import' | 'Share link' | 'Auto-layout' | 'Presenter mode'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('.toast').filter({ hasText: text });
  }

  async saved(): Promise<SavedTopology> {
    const response = await this.page.request.get('/api/topology');
    expect(response.status()).toBe(200);
    return (await response.json()) as SavedTopology;
  }

  /** Waits until the server holds a topology that passes `check` (saving is debounced). */
  async expectSaved(check: (topology: SavedTopology) => void) {
    await expect(this.saveStatus).toContainText('Saved');
    await expect(async () => check(await this.saved())).toPass({ timeout: 10_000 });
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `web/e2e/artifacts/screenshots/${name}.png` });
  }
}
