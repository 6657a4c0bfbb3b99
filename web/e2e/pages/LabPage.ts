import { expect, type Locator, type Page } from '@playwright/test';

/** The lab's shell as a user sees it: status bar, canvas, side panel. */
export class LabPage {
  readonly kafkaStatus: Locator;
  readonly liveStatus: Locator;
  readonly canvas: Locator;

  constructor(readonly page: Page) {
    this.kafkaStatus = page.getByTestId('kafka-status');
    this.liveStatus = page.getByTestId('live-status');
    this.canvas = page.getByLabel('Topology canvas');
  }

  async open(url = '/') {
    await this.page.goto(url);
    await expect(this.canvas).toBeVisible();
  }

  async expectKafka(text: RegExp | string) {
    await expect(this.kafkaStatus).toContainText(text);
  }

  async expectLive(text: RegExp | string) {
    await expect(this.liveStatus).toContainText(text);
  }

  /** Screenshots of key states are kept as test artifacts (web/e2e/artifacts/screenshots). */
  async screenshot(name: string) {
    await this.page.screenshot({ path: `web/e2e/artifacts/screenshots/${name}.png` });
  }
}
