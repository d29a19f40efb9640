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
let admin: { email: string; password: string };

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  const tenant = await stack.createTenant();
  await writeDay(stack.orm, await makeAnalyticsTenant(stack.orm, tenant.tenantId));
  await rollupHours(systemEm(stack.orm), { from: at('00:00:00'), to: at('23:59:59'), tenantId: tenant.tenantId });
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');
  admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
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
const leading = (name: string) => page.getByRole('table', { name }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 2).map((c) => c.textContent)));

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
  // Ratings 5, 1, 4 and 3.
  expect(await tile('CSAT').textContent()).toBe('3.25 / 5');
  expect(await tile('Satisfied').textContent()).toBe('50%');
  // A viewer reads the zone but may not change it.
  await page.getByText('Days in UTC.').waitFor();
  expect(await page.getByRole('button', { name: 'Change timezone' }).count()).toBe(0);
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
  expect(await tile('CSAT').textContent()).toBe('3.50 / 5');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download series (CSV)' }).click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  const [header, row] = csv.trim().split('\n');
  expect(header.split(',').slice(0, 3)).toEqual(['day', 'conversations', 'messagesIn']);
  expect(row.split(',').slice(0, 4)).toEqual([DAY, '1', '1', '1']);
  await app.screenshot('analytics-02-whatsapp');
});

it('lets an admin cut days in another timezone', { timeout: 120_000 }, async () => {
  const adminPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const adminApp = new ConsoleApp(adminPage, stack.url);
  await adminApp.signIn(admin.email, admin.password);
  await adminApp.nav('Analytics').click();
  await adminPage.getByLabel('From', { exact: true }).fill(DAY);
  await adminPage.getByLabel('To', { exact: true }).fill('2026-03-11');
  const conversationsOn = (day: string) =>
    adminPage.getByRole('link', { name: 'Download series (CSV)' }).evaluate(async (a, d) => {
      const csv = await (await fetch((a as HTMLAnchorElement).href)).text();
      return csv.split('\n').find((line) => line.startsWith(d))?.split(',')[1];
    }, day);
  await expect.poll(() => conversationsOn(DAY), eventually).toBe('3');

  await adminPage.getByRole('button', { name: 'Change timezone' }).click();
  await adminPage.getByLabel('Workspace timezone').selectOption('Pacific/Kiritimati');
  await adminPage.getByRole('button', { name: 'Save' }).click();
  await adminPage.getByText('Days in Pacific/Kiritimati.').waitFor();
  // 10:00 and 11:00 UTC are the first hours of the next day at UTC+14.
  await expect.poll(() => conversationsOn('2026-03-11'), eventually).toBe('3');
  expect(await conversationsOn(DAY)).toBe('0');
  await adminApp.screenshot('analytics-03-timezone');
  await adminPage.close();
});
