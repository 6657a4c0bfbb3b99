import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium';

/**
 * `npm run check:demo`: the demo site (DEMO_DIR, `demo/` by default) opened from file:// in Chromium with the
 * network refused: the index links every replay page; each page plays to its end at 8x with no page error and
 * no request. Exits 1 naming every problem.
 */
const dir = resolve(process.env.DEMO_DIR ?? 'demo');
const problems: string[] = [];
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 720 } });
await context.route(/^(?!file:|data:)/, (route) => {
  problems.push(`a request left the page: ${route.request().url()}`);
  return route.abort();
});
const pages = readdirSync(dir).filter((f) => f.endsWith('.html') && f !== 'index.html');
const index = await context.newPage();
await index.goto(`file://${join(dir, 'index.html')}`);
const links = await index.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
for (const file of pages) if (!links.includes(`./${file}`)) problems.push(`index.html does not link ${file}`);
for (const file of pages) {
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${file}: ${error.message}`));
  await page.goto(`file://${join(dir, file)}`);
  const bar = page.getByRole('region', { name: 'Replay controls' });
  try {
    await bar.getByRole('combobox', { name: 'Speed' }).selectOption('8', { timeout: 15_000 });
    await bar
      .locator('.timeline-time')
      .filter({ hasText: /^(\d+:\d\d) \/ \1$/ })
      .waitFor({ timeout: 120_000 });
    const stats = await page.evaluate(
      () => (globalThis as { labReplay?: { stats: { framesShown: number; playingMs: number } } }).labReplay?.stats,
    );
    console.log(
      `${file}: played to the end, ${stats ? (stats.framesShown / (stats.playingMs / 1000)).toFixed(0) : '?'} states/s`,
    );
  } catch (error) {
    problems.push(`${file}: did not play to its end (${(error as Error).message.split('\n')[0]})`);
  }
  await page.close();
}
await browser.close();
if (pages.length === 0) problems.push(`no replay pages in ${dir}`);
for (const problem of problems) console.error(problem);
process.exit(problems.length ? 1 : 0);
