import { expect, type Locator, type Page } from '@playwright/test';

/** The inspector: the fields of the selected node or link, each with its validation message. */
export class InspectorPage {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('complementary', { name: 'Inspector' });
  }

  heading(): Locator {
    return this.root.getByRole('heading').first();
  }

  field(label: string | RegExp): Locator {
    return this.root.getByLabel(label, { exact: typeof label === 'string' });
  }

  /** Types a value and commits it the way a user does (fields commit on Enter or leaving them). */
  async set(label: string | RegExp, value: string) {
    const field = this.field(label);
    await field.fill(value);
    await field.press('Enter');
  }

  async expectProblem(text: string | RegExp) {
    await expect(this.root.getByRole('alert').filter({ hasText: text })).toBeVisible();
  }
}
