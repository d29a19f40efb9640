/**
 * Settings → Opening hours in Chromium: the form shows "no hours saved", refuses a malformed day
 * and exception line next to its field before sending, saves what the API then holds, and shows
 * whether the business is open now.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from '../e2e/support/console';

let stack: Stack;
let browser: Browser;
let tenant: { tenantId: string; apiKey: string };
let page: Page;
let app: ConsoleApp;
const eventually = { timeout: 15_000, interval: 100 };

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  browser = await launchBrowser();
  tenant = await stack.createTenant();
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('edits the opening hours, timezone and holidays; errors land on their field', { timeout: 90_000 }, async () => {
  await app.goto('/settings/opening-hours');
  const form = page.getByRole('form', { name: 'Opening hours' });
  await form.waitFor();
  await form.getByText('No hours saved: flows treat the business as open').waitFor();

  await form.getByLabel('Timezone').fill('Europe/Berlin');
  await form.getByLabel('Monday').fill('09:00-12:30, 13:30-17:00');
  await form.getByLabel('Saturday').fill('10:00-9:00');
  await form.getByRole('button', { name: 'Save opening hours' }).click();
  await form.getByRole('alert').filter({ hasText: 'Saturday' }).waitFor();

  await form.getByLabel('Saturday').fill('10:00-14:00');
  await form.getByLabel('Holidays and special days').fill('2026-12-25 closed Christmas Day\nnext friday closed');
  await form.getByRole('button', { name: 'Save opening hours' }).click();
  await expect.poll(() => form.getByLabel('Holidays and special days').getAttribute('aria-invalid'), eventually).toBe('true');

  // The API's refusal (an unknown zone) lands on the timezone field.
  await form.getByLabel('Holidays and special days').fill('2026-12-25 closed Christmas Day\n2026-12-24 09:00-12:00 Christmas Eve');
  await form.getByLabel('Timezone').fill('Europe/Atlantis');
  await form.getByRole('button', { name: 'Save opening hours' }).click();
  await expect.poll(() => form.getByLabel('Timezone').getAttribute('aria-invalid'), eventually).toBe('true');

  await form.getByLabel('Timezone').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Save opening hours' }).click();
  await app.toast('Opening hours saved').waitFor();
  await form.getByText(/^(Open|Closed) now/).waitFor();
  await app.screenshot('opening-hours');

  const saved = await stack.request('GET', '/v1/settings/opening-hours', { apiKey: tenant.apiKey });
  expect(saved.body).toMatchObject({
    timezone: 'Europe/Berlin',
    weekly: { mon: [{ start: '09:00', end: '12:30' }, { start: '13:30', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], sat: [{ start: '10:00', end: '14:00' }] },
    exceptions: [
      { date: '2026-12-25', closed: true, hours: [], reason: 'Christmas Day' },
      { date: '2026-12-24', closed: false, hours: [{ start: '09:00', end: '12:00' }], reason: 'Christmas Eve' },
    ],
  });
  expect(saved.body.weekly.sun).toBeUndefined();

  // A reload shows what was saved.
  await page.reload();
  await expect.poll(() => form.getByLabel('Monday').inputValue(), eventually).toBe('09:00-12:30, 13:30-17:00');
  expect(await form.getByLabel('Sunday').inputValue()).toBe('');
  expect(app.errors).toEqual([]);
});
