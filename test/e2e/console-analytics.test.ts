/**
 * The Analytics page in real Chromium against the real API: a viewer picks the hand-computed day
 * of test/analytics/fixtures.ts and sees its KPI tiles, charts and per-channel / per-flow table,
 * narrows it to one channel, and downloads the series as CSV with the figures of that channel.
 * Screenshots in test-results/console/.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { rollupHours } from '../../db/repos/analytics-rollup';
import { at, DAY, makeAnalyticsTenant, writeDay } from '../analytics/fixtures';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from './support/console';

let stack: Stack;
let browser: Browser;
let page: Page;
let app: ConsoleApp;

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  const tenant = await stack.createTenant();
  await writeDay(stack.orm, await makeAnalyticsTenant(stack.orm, tenant.tenantId));
  await rollupHours(systemEm(stack.orm), { from: at('00:00:00'), to: at('23:59:59'), tenantId: tenant.tenantId });
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(viewer.email, viewer.password);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const eventually = { timeout: 15_000, interval: 100 };
const tile = (label: string) => page.locator('.sc-figure').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').first();
/** The first two cells (name, conversations) of every body row of a table. */
const leading = (name: string) => page.getByRole('table', { name }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((c) => c.textContent)));

it('shows the day’s figures, narrows them to a channel and downloads the series as CSV', { timeout: 120_000 }, async () => {
  await app.nav('Analytics').click();
  await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(DAY);
  await page.getByLabel('To', { exact: true }).fill(DAY);

  await expect.poll(() => tile('Conversations').textContent(), eventually).toBe('3');
  expect(await tile('Handoff rate').textContent()).toBe('33.3%');
  expect(await tile('Resolved without a human').textContent()).toBe('50%');
  // 415 s on average; one handoff answered after 120 s.
  expect(await tile('First response').textContent()).toBe('6.9 min');
  expect(await tile('Time to human').textContent()).toBe('2 min');
  expect(await tile('Errors').textContent()).toBe('3');
  // The chart draws the day on its axis (recharts renders the SVG).
  const chart = page.getByRole('figure', { name: 'Conversations and handoffs' });
  await expect.poll(() => chart.locator('.recharts-cartesian-axis-tick-value').allTextContents(), eventually).toContain('03-10');

  await expect.poll(() => leading('Figures per channel'), eventually).toEqual([
    ['webchat', '2'],
    ['whatsapp', '1'],
    ['api', '0'],
  ]);
  await app.screenshot('analytics-01-day');

  await page.getByLabel('Break down by', { exact: true }).selectOption('flow');
  await expect.poll(() => leading('Figures per flow'), eventually).toEqual([
    ['Support', '2'],
    ['Sales', '1'],
  ]);

  await page.getByLabel('Channel', { exact: true }).selectOption('whatsapp');
  await expect.poll(() => tile('Conversations').textContent(), eventually).toBe('1');
  expect(await tile('Errors').textContent()).toBe('2');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download series (CSV)' }).click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  const [header, row] = csv.trim().split('\n');
  expect(header.split(',').slice(0, 3)).toEqual(['day', 'conversations', 'messagesIn']);
  expect(row.split(',').slice(0, 4)).toEqual([DAY, '1', '1', '1']);
  await app.screenshot('analytics-02-whatsapp');
});
