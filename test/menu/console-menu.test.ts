/**
 * The Menu page in real Chromium against the real stack and the fake Square API: an admin pastes
 * a POS export and reads the rejected row, sees the matrix (a scatter chart with its quadrant
 * lines, the classes, the recommendations' arithmetic), the forecast's MAPE, edits a food cost,
 * connects Square and syncs, proposes promotions (offline copy, said so) and turns one into a
 * campaign draft, which opens. Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from '../e2e/support/console';
import { startFakeSquare, type FakeSquare } from '../fakes/square-server';
import { menuCsv } from './fixtures';

let stack: Stack;
let square: FakeSquare;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };

beforeAll(async () => {
  await buildConsoleOnce();
  square = await startFakeSquare();
  const [latte] = square.addItem('Latte', square.addCategory('Drinks'), { Regular: 450 });
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-11-20T15:00:00Z', lines: [{ catalogObjectId: latte, quantity: 4, unitCents: 450 }] });
  stack = await startStack({ ...sharedServers(), env: { SQUARE_API_URL: square.url } });
  tenant = await stack.createTenant();
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await square?.close();
});

const eventually = { timeout: 15_000, interval: 100 };

describe('the Menu page', () => {
  it('imports a POS export and lists the rejected row with why', { timeout: 120_000 }, async () => {
    await app.nav('Menu').click();
    await page.getByRole('heading', { name: 'Menu', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Import' }).click();
    await page.getByLabel('Or paste the CSV').fill(`${menuCsv()}2026-11-31,Steak,Mains,28.00,12.00,3\n`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByRole('region', { name: 'Import report' });
    await report.waitFor(eventually);
    await expect.poll(() => report.getByText('4 new, 0 updated').count(), eventually).toBe(1);
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await expect.poll(() => rejected.getByRole('row').nth(1).textContent(), eventually).toMatch(/^114date"2026-11-31" is not a date/);
    await app.screenshot('menu-01-import');
  });

  it('draws the matrix with its quadrant lines, classes and the arithmetic', { timeout: 120_000 }, async () => {
    await page.getByRole('tab', { name: 'Matrix' }).click();
    const mains = page.getByRole('region', { name: 'Category Mains' });
    await mains.waitFor(eventually);
    const chart = mains.getByRole('figure', { name: 'Mains: popularity × margin' });
    await expect.poll(() => chart.locator('.recharts-scatter-symbol').count(), eventually).toBe(4);
    await expect.poll(() => chart.getByText('70 % of fair share').count(), eventually).toBe(1);
    await expect.poll(() => chart.getByText('average margin').count(), eventually).toBe(1);
    const table = mains.getByRole('table', { name: 'Mains matrix' });
    await expect.poll(() => table.getByRole('row', { name: /Fish/ }).textContent(), eventually).toMatch(/Fish\s*Puzzle\s*28/);
    await expect.poll(() => table.getByRole('row', { name: /Pasta/ }).textContent(), eventually).toContain('Plowhorse');
    await expect.poll(() => mains.getByText(/popular from 17\.5 %/).count(), eventually).toBe(1);
    const recs = page.getByRole('list', { name: 'Recommendations' });
    await expect.poll(() => recs.textContent(), eventually).toContain('it needs 95 sold');
    await expect.poll(() => recs.textContent(), eventually).toContain('$1.40 × 260 = $364.00');
    await app.screenshot('menu-02-matrix');
  });

  it('shows the forecast with its backtested MAPE', { timeout: 120_000 }, async () => {
    await page.getByRole('tab', { name: 'Forecast' }).click();
    await page.getByLabel('History').selectOption('4');
    await page.getByLabel('Held out for the backtest').selectOption('1');
    const figures = page.getByRole('definition').filter({ hasText: /%$/ });
    await expect.poll(() => figures.first().textContent(), eventually).toBe('0.0 %');
    await expect.poll(() => page.getByRole('list', { name: 'How the forecast works' }).textContent(), eventually).toContain('quietest Tuesday');
    await expect.poll(() => page.getByRole('table', { name: 'Forecast per item' }).getByRole('row').count(), eventually).toBe(5);
    await app.screenshot('menu-03-forecast');
  });

  it('edits a food cost on the items table', { timeout: 60_000 }, async () => {
    await page.getByRole('tab', { name: 'Items' }).click();
    const cost = page.getByLabel('Food cost of Tofu');
    await cost.fill('5.50');
    await page.getByRole('row', { name: /Tofu/ }).getByRole('button', { name: 'Save' }).click();
    await app.toast('Food cost of Tofu saved').waitFor(eventually);
    const items = (await stack.request('GET', '/v1/menu/items', { apiKey: tenant.apiKey })).body.items;
    expect(items.find((i: any) => i.name === 'Tofu').foodCostCents).toBe(550);
  });

  it('connects Square and syncs', { timeout: 60_000 }, async () => {
    await page.getByRole('tab', { name: 'Square' }).click();
    await page.getByLabel('Square access token').fill('EAAA-wrong-token-123');
    await page.getByRole('button', { name: 'Connect Square' }).click();
    await expect.poll(() => page.getByText(/Square refused the access token/).count(), eventually).toBe(1);
    await page.getByLabel('Square access token').fill(square.token);
    await page.getByRole('button', { name: 'Connect Square' }).click();
    await app.toast('Square connected: Main street').waitFor(eventually);
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await page.getByLabel('To', { exact: true }).fill('2026-11-30');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const last = page.getByRole('region', { name: 'Last sync' }).or(page.locator('dl[aria-label="Last sync"]'));
    await expect.poll(() => last.textContent(), eventually).toMatch(/Orders1/);
    expect((await stack.request('GET', '/v1/menu/items', { apiKey: tenant.apiKey })).body.items.map((i: any) => i.name)).toContain('Latte');
    await app.screenshot('menu-04-square');
  });

  it('proposes promotions and turns one into a campaign draft', { timeout: 120_000 }, async () => {
    // Tofu's food cost is now $5.50: the Mains average margin is (565,600 + 28 × 50) / 472 = $12.01, so Fish has
    // $2.99 of room and the discount is $2.50 (50-cent steps). The Square latte has no food cost: not placed.
    await page.getByRole('tab', { name: 'Promotions' }).click();
    await page.getByRole('button', { name: 'Propose promotions' }).click();
    const fish = page.getByRole('article', { name: 'Fish on Tuesdays' });
    await fish.waitFor(eventually);
    expect(await fish.textContent()).toContain('Fish for $21.50 instead of $24.00');
    expect(await fish.textContent()).toContain('Copy by template-writer — Written offline');
    await fish.getByLabel('email').check();
    await fish.getByRole('button', { name: 'Create campaign draft' }).click();
    await page.waitForURL(/#\/campaigns\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const campaignId = /campaigns\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    await page.getByRole('heading', { name: 'Fish on Tuesdays' }).waitFor(eventually);
    const campaign = (await stack.request('GET', `/v1/campaigns/${campaignId}`, { apiKey: tenant.apiKey })).body;
    expect(campaign).toMatchObject({ status: 'draft', channels: ['sms', 'email'], brief: { offer: 'Fish for $21.50 instead of $24.00' } });
    expect(campaign.variants[0].content.sms.text).toContain('Fish for $21.50');
    const promotions = (await stack.request('GET', '/v1/menu/promotions', { apiKey: tenant.apiKey })).body.items;
    expect(promotions.find((p: any) => p.title === 'Fish on Tuesdays')).toMatchObject({ status: 'accepted', campaignId });
    await app.screenshot('menu-05-campaign-draft');
    expect(app.errors).toEqual([]);
  });
});
