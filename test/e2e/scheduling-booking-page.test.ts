/**
 * The public booking page in real Chromium, phone-sized and in a visitor timezone other than the
 * business's, against the real API and Temporal: pick a service, a day and a slot, book
 * with name and email, get the confirmation and the .ics; a second visitor who had the same slot
 * on screen books it too and is told "slot just taken", with the next free slots to pick from.
 * Keyboard only for the second visitor. Screenshots in test-results/console/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAppointments } from '../../scheduling/service';
import { tenantEm } from '../../db/orm';
import { launchBrowser } from '../support/browser';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { SCREENSHOT_DIR } from './support/console';
import { apiOk, catalogFixture, tenantSlug } from './support/scheduling';

let stack: Stack;
let browser: Browser;
let tenant: { tenantId: string; apiKey: string };
let slug: string;
const contexts: BrowserContext[] = [];

/** A visitor in New York on a phone: the business is in Amsterdam. */
async function visitor(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/New_York', locale: 'en-US', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  browser = await launchBrowser();
  tenant = await stack.createTenant();
  slug = await tenantSlug(stack, tenant.tenantId);
  await catalogFixture(stack, tenant.tenantId);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await stack?.close();
});

const eventually = { timeout: 15_000, interval: 100 };
/** Tomorrow in New York, which is always a day with hours (the staff work every day). */
const tomorrowNy = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(Date.now() + 86_400_000));

it('is not there until an admin turns it on', async () => {
  const off = await fetch(`${stack.url}/book/${slug}`);
  expect(off.status).toBe(404);
  expect((await stack.request('GET', `/v1/public/booking/${slug}`)).status).toBe(404);
  const saved = await apiOk(stack, tenant.apiKey, 'PUT', '/v1/settings/booking-page', { enabled: true, title: 'Book a haircut', intro: 'Walk-ins welcome too.', embedOrigins: ['https://shop.example.com'] });
  expect(saved.path).toBe(`/book/${slug}`);
  const on = await fetch(`${stack.url}/book/${slug}`);
  expect(on.status).toBe(200);
  const csp = on.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'self' https://shop.example.com");
  expect(on.headers.get('x-frame-options')).toBeNull();
});

it('books a slot, and a second visitor on the same slot is told it was just taken and offered the next ones', { timeout: 120_000 }, async () => {
  const first = await visitor();
  const second = await visitor();
  const day = tomorrowNy();
  for (const { page } of [first, second]) {
    await page.goto(`${stack.url}/book/${slug}`);
    await page.getByRole('heading', { name: 'Book a haircut' }).waitFor();
    // One service: chosen already.
    await expect.poll(() => page.getByRole('radio', { name: /Haircut/ }).isChecked(), eventually).toBe(true);
    await page.getByLabel('Day', { exact: true }).fill(day);
    await page.getByLabel('Day', { exact: true }).dispatchEvent('change');
    await expect.poll(() => page.getByRole('list', { name: 'Free times' }).getByRole('button').count(), eventually).toBeGreaterThan(1);
  }
  // Amsterdam's 09:00-17:00 is 03:00-11:00 in New York (or 04:00-12:00 around the DST switches).
  const firstSlot = first.page.getByRole('list', { name: 'Free times' }).getByRole('button').first();
  const firstTime = await firstSlot.textContent();
  expect(firstTime).toMatch(/^0[34]:00/);
  await first.page.screenshot({ path: `${SCREENSHOT_DIR}/booking-page-01-slots.png`, fullPage: true });

  await firstSlot.click();
  await expect.poll(() => first.page.getByLabel('Name').evaluate((el) => el === document.activeElement)).toBe(true);
  await first.page.getByRole('button', { name: 'Book' }).click();
  await expect.poll(() => first.page.getByRole('alert').textContent(), eventually).toContain('Please enter your name');
  await first.page.getByLabel('Name').fill('Ada Visitor');
  await first.page.getByLabel('Email').fill('ada@example.test');
  await first.page.getByRole('button', { name: 'Book' }).click();
  await first.page.getByRole('heading', { name: 'You are booked' }).waitFor({ timeout: 15_000 });
  expect(await first.page.locator('#done-text').textContent()).toMatch(/Haircut with Ada Lovelace, .*America\/New_York/);
  await first.page.screenshot({ path: `${SCREENSHOT_DIR}/booking-page-02-booked.png`, fullPage: true });

  const icsHref = await first.page.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href');
  const ics = await fetch(new URL(icsHref!, stack.url));
  expect(ics.status).toBe(200);
  expect(ics.headers.get('content-type')).toContain('text/calendar');
  expect(await ics.text()).toContain('BEGIN:VEVENT');
  const forged = await fetch(new URL(icsHref!.replace(/token=.*/, 'token=forged'), stack.url));
  expect(forged.status).toBe(404);

  // The second visitor still shows the slot as free, and books it with the keyboard.
  const { page } = second;
  const same = page.getByRole('list', { name: 'Free times' }).getByRole('button').first();
  await same.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('Bob Visitor');
  await page.keyboard.press('Tab');
  await page.keyboard.type('bob@example.test');
  await page.getByRole('button', { name: 'Book' }).press('Enter');
  await expect.poll(() => page.getByRole('alert').textContent(), eventually).toContain('Slot just taken');
  const offered = page.getByRole('list', { name: 'Free times' }).getByRole('button');
  await expect.poll(() => offered.count(), eventually).toBeGreaterThan(0);
  expect(await offered.first().textContent()).not.toBe(firstTime);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/booking-page-03-slot-taken.png`, fullPage: true });
  await offered.first().click();
  await page.getByRole('button', { name: 'Book' }).click();
  await page.getByRole('heading', { name: 'You are booked' }).waitFor({ timeout: 15_000 });

  const { items } = await listAppointments(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, { limit: 50 });
  expect(items.map((a) => [a.customerName, a.source]).sort()).toEqual([
    ['Ada Visitor', 'page'],
    ['Bob Visitor', 'page'],
  ]);
  expect(first.errors).toEqual([]);
  expect(second.errors).toEqual([]);
});
