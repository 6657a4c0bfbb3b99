import { expect, type Locator, type Page } from '@playwright/test';

/** The lab guide beside the canvas, sharing its column with the inspector. */
export class LabGuidePage {
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('region', { name: 'Lab guide' });
  }

  async open() {
    if (!(await this.panel.isVisible())) await this.page.getByRole('button', { name: 'Labs', exact: true }).click();
    await expect(this.panel).toBeVisible();
  }

  async start(title: string) {
    await this.panel.getByRole('button', { name: `Start lab: ${title}` }).click();
    await expect(this.panel.getByRole('heading', { name: title })).toBeVisible();
  }

  step(id: string): Locator {
    return this.panel.getByTestId(`lab-step-${id}`);
  }

  /** Presses one of the current step's buttons (not the canvas's button of the same name). */
  async press(label: string) {
    await this.panel.getByRole('button', { name: label, exact: true }).click();
  }

  async expectDone(id: string, timeout = 60_000) {
    await expect(this.step(id)).toHaveClass(/\bdone\b/, { timeout });
  }

  explanation(id: string): Locator {
    return this.panel.getByTestId(`lab-explain-${id}`);
  }

  conditions(): Locator {
    return this.panel.getByTestId('lab-condition');
  }

  /** Presses Continue and returns the server's answer: the frozen step and the snapshot it came from. */
  async continue(): Promise<{ step: { explanation: string; values: Record<string, number> }; snapshot: unknown }> {
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/api/labs/continue') && r.request().method() === 'POST'),
      this.panel.getByRole('button', { name: /^(Continue →|Finish the lab)$/ }).click(),
    ]);
    expect(response.status()).toBe(200);
    return response.json();
  }

  tab(name: 'Lab guide' | 'Inspector'): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }
}
