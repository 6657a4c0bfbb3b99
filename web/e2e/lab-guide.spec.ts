import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, explanationProblems, type Lab, type LabSolution, numbersIn } from '@lab/model';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'yaml';
import { LabGuidePage } from './pages/LabGuidePage';

/**
 * Every lab walked through the guide the way a learner does it: predict where a step asks for it (marking
 * nodes on the canvas), press the step's buttons, read an inspector mid-lab, wait for green (minimum times
 * honoured), press Continue, and check that every number of each rendered explanation agrees with the
 * snapshot the server froze it from. Each walk has a workspace of its own (`/w/<name>/`), as each attendee
 * of a class would, so the walks also prove a named workspace's whole web app, and two run at a time (the
 * `walks` project). Checks that must hold for a while on a live stream either tolerate a few events in
 * flight or come after the step stops the source: "nothing pending for 2 s" while the shop produced never
 * settled on two busy cores (docs/design/suite-speed.md).
 */
const LABS = join(process.cwd(), 'labs');
const SHOTS = 'web/e2e/artifacts/screenshots';
const labs = readdirSync(LABS)
  .filter((d) => /^\d\d-/.test(d))
  .sort()
  .map((dir) => ({
    dir,
    lab: parse(readFileSync(join(LABS, dir, 'lab.yaml'), 'utf8')) as Lab,
    solution: parse(readFileSync(join(LABS, dir, 'solution.yaml'), 'utf8')) as LabSolution,
  }));

/** The workspace a walk runs in, from the test's title: every test its own. */
const workspaceOf = (title: string) => `/w/walk-${title.match(/lab (\d\d)-/)?.[1] ?? 'own'}`;

test.afterEach(async ({ page }, info) => {
  const base = workspaceOf(info.title);
  await page.request.post(`${base}/api/labs/leave`, { data: {} });
  await page.request.post(`${base}/api/stop`, { data: {} });
  await page.request.post(`${base}/api/reset`, { data: {} });
});

const sameCommand = (a: Command, b: Command) => JSON.stringify(a) === JSON.stringify(b);

/** Clicks a node on the canvas away from its own buttons. */
async function clickNode(page: Page, id: string) {
  await page.getByTestId(`rf__node-${id}`).click({ position: { x: 12, y: 8 } });
}

// First, while no lab has been done yet.
test('a lab keeps the learner’s own topology aside and offers it back on leaving; the list marks progress', async ({
  page,
}) => {
  const own = {
    version: 1,
    name: 'My own shop',
    nodes: [
      { id: 'till', kind: 'source', position: { x: 0, y: 0 } },
      { id: 'sales', kind: 'topic', position: { x: 250, y: 0 } },
    ],
    links: [{ id: 'sell', kind: 'produce', from: 'till', to: 'sales' }],
  };
  const base = workspaceOf('own');
  expect((await page.request.put(`${base}/api/topology`, { data: own })).status()).toBe(200);
  await page.goto(`${base}/`);
  await expect(page.getByTestId('node-till')).toBeVisible();
  const guide = new LabGuidePage(page);
  await guide.open();
  await guide.start('The same flow, event-driven');
  await expect(page.getByTestId('node-payments')).toBeVisible();
  await expect(page.getByTestId('node-till')).toHaveCount(0);
  await guide.panel.getByRole('button', { name: 'Leave' }).click();
  await expect(guide.panel.getByTestId('lab-event-driven-flow')).toContainText('In progress');
  await expect(guide.panel).toContainText('My own shop');
  await guide.panel.getByRole('button', { name: 'Restore my topology' }).click();
  await expect(page.getByTestId('node-till')).toBeVisible();
  await expect(guide.panel).not.toContainText('was kept aside');
  // A restarted server is not needed for progress to survive: a reload shows the same marks.
  await page.reload();
  await guide.open();
  await expect(guide.panel.getByTestId('lab-event-driven-flow')).toContainText('In progress');
});

for (const { dir, lab, solution } of labs) {
  test(`lab ${dir} walked through the guide`, async ({ page }) => {
    test.setTimeout(420_000);
    const started = Date.now();
    await page.goto(`${workspaceOf(`lab ${dir}`)}/`);
    const guide = new LabGuidePage(page);
    await guide.open();
    await guide.start(lab.title);
    await expect(guide.panel).toContainText(`Step 1 of ${lab.steps.length}`);
    let readInspector = false;

    for (const [index, step] of lab.steps.entries()) {
      await expect(guide.step(step.id)).toHaveAttribute('aria-current', 'step');
      if (step.predict) {
        await expect(guide.panel.getByRole('button', { name: step.actions![0]!.label, exact: true })).toBeDisabled();
        for (const node of solution.predictions?.[step.id] ?? []) await clickNode(page, node);
        await expect(guide.panel.getByTestId('lab-marked')).toContainText('Marked:');
        if (dir.startsWith('04')) {
          await guide.panel.getByRole('button', { name: 'Lock in my prediction' }).scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/predict-marking.png` });
        }
        await guide.press('Lock in my prediction');
      }
      for (const command of solution.steps[step.id] ?? []) {
        const button = step.actions?.find((a) => sameCommand(a.command, command));
        expect(button, `step ${step.id}: the guide has a button for ${JSON.stringify(command)}`).toBeDefined();
        await guide.press(button!.label);
      }
      // Right after the button, before the step's 15 s minimum is up (not after the inspector: on busy cores
      // that detour once outlasted it and the step was green already).
      if (dir.startsWith('03') && step.id === 'crash') {
        await expect(guide.conditions().first()).toBeVisible();
        await page.screenshot({ path: `${SHOTS}/failing-condition.png` });
      }
      // A learner looks at what the step names: an inspector, mid-lab, beside the guide.
      if (!readInspector && index === 1) {
        const node = lab.steps[1]!.predict?.cause[0] ?? firstNodeOf(dir);
        await clickNode(page, node);
        await expect(guide.tab('Inspector')).toHaveAttribute('aria-selected', 'true');
        await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
        if (dir.startsWith('03')) await page.screenshot({ path: `${SHOTS}/inspector-mid-lab.png` });
        await guide.tab('Lab guide').click();
        readInspector = true;
      }
      await guide.expectDone(step.id, 180_000);
      if (dir.startsWith('15') && step.id === 'rest-breaking') {
        // The breaking deploy on the canvas: each caller's link red, reading v1 and getting v2; the whole
        // reason on hover.
        for (const link of ['billing-customers', 'shipping-customers']) {
          const label = page.getByTestId(`call-${link}`);
          await expect(label).toContainText('API v1, gets v2');
          await expect(label).toHaveAttribute(
            'title',
            /"customers" answered with API version 2, which breaks version 1 this caller was built against/,
          );
        }
        await page.screenshot({ path: `${SHOTS}/rest-contract-broken.png` });
      }
      if (dir.startsWith('04') && step.id === 'crash')
        await page.screenshot({ path: `${SHOTS}/predict-result-live.png` });
      const { step: finished, snapshot } = await guide.continue();
      expect(explanationProblems(step, finished, snapshot), `${dir} › ${step.id}`).toEqual([]);
      // The rendered explanation (Markdown, tables included) shows exactly the frozen numbers. innerText, not
      // textContent: a table's cells must stay apart.
      await expect
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps table cells apart
        .poll(async () => numbersIn(await guide.explanation(step.id).innerText()), { timeout: 5_000 })
        .toEqual(numbersIn(finished.explanation.replace(/[*`|]/g, ' ')));
      if (step.predict) {
        await expect(guide.step(step.id).getByTestId('lab-prediction')).toContainText('Your prediction');
        if (dir.startsWith('02')) {
          await guide.step(step.id).scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/predict-result.png` });
        }
      }
      if (dir.startsWith('09') && step.id === 'lineage') {
        await expect(page.getByTestId('journey-hop').first()).toBeVisible();
        await page.screenshot({ path: `${SHOTS}/journey-waterfall.png` });
      }
    }
    await expect(guide.panel).toContainText('Lab complete');
    if (dir.startsWith('04')) {
      await expect(guide.explanation('recover').getByRole('table')).toBeVisible();
      // Scroll the guide's own box (not the page) so the table's top shows.
      await guide
        .explanation('recover')
        .getByRole('table')
        .evaluate((table) => {
          const box = table.closest('.side-panel-body');
          if (box) box.scrollTop += table.getBoundingClientRect().top - box.getBoundingClientRect().top - 60;
        });
      await page.screenshot({ path: `${SHOTS}/lab4-table.png` });
    }
    if (dir.startsWith('03')) {
      // Progress survives a reload; Restart returns to step 1 in one click.
      await page.reload();
      await expect(guide.panel).toContainText('Lab complete');
      await expect(guide.step('crash')).toHaveClass(/\bdone\b/);
      await guide.panel.getByRole('button', { name: 'Restart lab' }).click();
      await expect(guide.panel).toContainText(`Step 1 of ${lab.steps.length}`);
    }
    console.log(`e2e walk ${dir}: ${Math.round((Date.now() - started) / 1000)} s`);
  });
}

/** A node to inspect in labs whose second step names none. */
function firstNodeOf(dir: string): string {
  const topology = JSON.parse(readFileSync(join(LABS, dir, 'topology.json'), 'utf8')) as { nodes: { id: string }[] };
  return topology.nodes[0]!.id;
}
