/**
 * Retention and privacy in the console, real Chromium against the real API: an admin sets the
 * retention days (a bad value is refused on its field), downloads a contact's export (the zip holds
 * its contact.json), and erases the contact after typing the confirmation. Screenshots in
 * test-results/console/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { ConsoleApp } from './support/console';
import { startConsoleSession, type ConsoleSession } from './support/session';

let session: ConsoleSession;
let page: Page;
let app: ConsoleApp;

beforeAll(async () => {
  session = await startConsoleSession('admin');
  ({ page, app } = session);
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => session?.close());

const eventually = { timeout: 15_000, interval: 100 };

const zipNames = (bytes: Buffer) =>
  new Promise<string[]>((resolve, reject) =>
    yauzl.fromBuffer(bytes, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName));
      zip.on('end', () => resolve(names));
    }),
  );

it('sets retention days, exports a contact and erases it after the typed confirmation', { timeout: 120_000 }, async () => {
  const { stack, apiKey } = session;
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Retention' }).click();
  const form = page.getByRole('form', { name: 'Retention' });
  await form.getByLabel('Messages (days)').fill('30');
  await form.getByLabel('Events and webhook logs (days)').fill('seven');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect.poll(() => form.textContent(), eventually).toMatch(/a whole number of days/);
  await form.getByLabel('Events and webhook logs (days)').fill('7');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect.poll(async () => (await stack.request('GET', '/v1/settings/retention', { apiKey })).body, eventually).toEqual({ messages: 30, media: null, documents: null, events: 7 });
  await app.screenshot('privacy-01-retention');

  const created = await stack.request('POST', '/v1/contacts', { apiKey, body: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' } });
  expect(created.status).toBe(201);
  await app.nav('Contacts').click();
  const table = page.getByRole('table', { name: 'Contacts' });
  await table.getByRole('row', { name: /Ada Lovelace/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit contact' });
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Export data (zip)' }).click()]);
  const names = await zipNames(await readFile((await download.path())!));
  expect(names).toContain('contact.json');

  await dialog.getByRole('button', { name: 'Erase contact…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Erase this contact for good?' });
  const erase = confirm.getByRole('button', { name: 'Erase', exact: true });
  expect(await erase.isDisabled()).toBe(true);
  await confirm.getByLabel('Type ERASE to confirm').fill('ERASE');
  await app.screenshot('privacy-02-erase');
  await erase.click();
  await expect.poll(() => table.getByRole('row', { name: /Ada Lovelace/ }).count(), eventually).toBe(0);
  expect((await stack.request('GET', `/v1/contacts/${created.body.id}`, { apiKey })).status).toBe(404);
});
