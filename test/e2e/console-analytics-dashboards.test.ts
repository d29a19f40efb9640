/**
 * The per-flow, per-channel and per-campaign dashboards in real Chromium against the real API: a
 * viewer opens a link with the flow, version and dates in the URL and sees the hand-computed
 * drop-off of test/analytics/dashboard-fixtures.ts drawn on the flow's graph (a badge and heat per
 * node, a count per edge) and downloads it as CSV; switches to the channel tab (the dates kept),
 * picks WhatsApp and sees its figures; then the campaigns of the day link to their results page.
 * Screenshots in test-results/console/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeCampaignDay, writeDropOffDay } from '../analytics/dashboard-fixtures';
import { DAY } from '../analytics/fixtures';
import type { ConsoleApp } from './support/console';
import { openAnalyticsConsole, type AnalyticsConsole } from './support/analytics';

let rig: AnalyticsConsole;
let page: Page;
let app: ConsoleApp;
let flowId: string;
let spring: string;

beforeAll(async () => {
  rig = await openAnalyticsConsole(async (stack, tenantId) => {
    ({ flowId } = await writeDropOffDay(stack.orm, tenantId));
    ({ spring } = await writeCampaignDay(stack.orm, tenantId));
  });
  ({ page, app } = rig);
});

afterAll(async () => {
  await rig?.browser.close();
  await rig?.stack.close();
});

const eventually = { timeout: 15_000, interval: 100 };
const badge = (nodeId: string) => page.locator(`.fnode[data-node-id="${nodeId}"] .fnode-dropoff`);
const figuresOf = (nodeId: string) =>
  badge(nodeId).evaluate((el) => [el.getAttribute('data-reached'), el.getAttribute('data-ended'), el.getAttribute('data-handed-off'), el.querySelector('strong')?.textContent]);
const tile = (label: string) => page.locator('.sc-figure').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').first();

it('draws the drop-off per node on the flow graph and downloads it as CSV', { timeout: 120_000 }, async () => {
  await app.goto(`/analytics/flows?from=${DAY}&to=${DAY}&flowId=${flowId}&version=1`);
  await page.getByRole('heading', { name: 'Drop-off: Onboarding' }).waitFor();
  // By hand: 4 reached the question, one idled out there, one asked for a human there.
  await expect.poll(() => figuresOf('email'), eventually).toEqual(['4', '1', '1', '50%']);
  expect(await figuresOf('start')).toEqual(['4', '0', '0', '0%']);
  expect(await figuresOf('end')).toEqual(['1', '1', '0', '100%']);
  expect(await figuresOf('human')).toEqual(['1', '0', '1', '100%']);
  expect(await figuresOf('thanks')).toEqual(['1', '0', '0', '0%']);
  // Heat: 50 % and more is high, under 20 % low.
  expect(await page.locator('.fnode[data-node-id="email"]').getAttribute('class')).toContain('fnode-heat-high');
  expect(await page.locator('.fnode[data-node-id="start"]').getAttribute('class')).toContain('fnode-heat-low');
  // Each edge carries the conversations that went along it (React Flow draws the label).
  await expect.poll(() => page.locator('.react-flow__edge-text').allTextContents(), eventually).toEqual(expect.arrayContaining(['4', 'timeout · 1']));
  const rows = await page.getByRole('table', { name: 'Drop-off per node' }).locator('tbody tr').evaluateAll((trs) => trs.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent)));
  expect(rows[1]).toEqual(['email (ask)', '4', '1', '1', '0', '50%']);
  await app.screenshot('analytics-dashboards-01-flow-dropoff');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the drop-off per node as CSV' }).click()]);
  const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('node,type,reached,ended,handedOff,failed,dropOffRate');
  expect(csv[2]).toBe('email,ask,4,1,1,0,0.5');
  expect(app.errors).toEqual([]);
});

it('keeps the dates in the URL on the per-channel tab and shows one channel’s figures', { timeout: 120_000 }, async () => {
  await page.getByRole('tab', { name: 'Per channel' }).click();
  await expect.poll(() => page.url(), eventually).toContain(`#/analytics/channels?from=${DAY}&to=${DAY}`);
  await page.getByRole('figure', { name: 'Channels compared' }).waitFor();
  await page.getByRole('group', { name: 'Pick a channel' }).getByRole('button', { name: 'whatsapp' }).click();
  await expect.poll(() => page.url(), eventually).toContain('channel=whatsapp');
  await page.getByRole('heading', { name: 'Channel: whatsapp' }).waitFor();
  // C3 of the analytics day and K3 of the drop-off day (closed by the bot); C3's failed send and failed turn.
  await expect.poll(() => tile('Conversations').textContent(), eventually).toBe('2');
  expect(await tile('Errors').textContent()).toBe('2');
  // A chart's CSV holds exactly that chart's columns.
  const href = await page.getByRole('link', { name: 'Download “Conversations and handoffs” as CSV' }).getAttribute('href');
  const body = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
  expect(body.trim().split('\n')).toEqual(['day,conversations,handoffs,closedWithoutHuman', `${DAY},2,0,1`]);
  await app.screenshot('analytics-dashboards-02-channel');

  // A reload shows the same: the filters are the URL.
  await page.reload();
  await expect.poll(() => tile('Conversations').textContent(), eventually).toBe('2');
});

it('lists the day’s campaigns with their funnels, linking to each one’s results', { timeout: 120_000 }, async () => {
  await page.getByRole('tab', { name: 'Per campaign' }).click();
  const table = page.getByRole('table', { name: 'Campaigns in this range' });
  // The Channel filter stays (whatsapp): no campaign sent there; back to every channel.
  await page.getByLabel('Channel', { exact: true }).selectOption('');
  await expect.poll(() => table.locator('tbody tr').count(), eventually).toBe(2);
  const link = table.getByRole('link', { name: 'Spring sale' });
  expect(await link.getAttribute('href')).toBe(`#/campaigns/${spring}`);
  // The whole campaign's funnel, as on its results page: R4 opted out the next day.
  const cells = await table.locator('tbody tr').nth(1).locator('td').allTextContents();
  expect(cells.slice(3, 10)).toEqual(['4', '2', '1', '1', '1', '1', '1']);
  await app.screenshot('analytics-dashboards-03-campaigns');
});
