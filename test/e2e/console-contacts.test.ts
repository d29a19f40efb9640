/**
 * The Contacts and Segments pages in real Chromium against the real API: a marketer imports a CSV
 * (mapping proposed from the headers, the rejected-rows report), finds a contact, gives consent on
 * a channel, then builds a segment whose live count follows the conditions and lists its contacts.
 * A viewer sees the same pages without the write controls. Screenshots in test-results/console/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleApp, createConsoleUser } from './support/console';
import { startConsoleSession, type ConsoleSession } from './support/session';

let session: ConsoleSession;
let page: Page;
let app: ConsoleApp;

beforeAll(async () => {
  session = await startConsoleSession('marketer');
  ({ page, app } = session);
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => session?.close());

const eventually = { timeout: 15_000, interval: 100 };
const CSV = ['Customer ID,First name,Surname,E-mail,Mobile,Groups,SMS opt-in', 'c-1,Ana,Lima,ana@example.com,06 12 34 56 78,vip;wine,yes', 'c-2,Bo,Reyes,bo@example,06 12 34 56 79,wine,yes', 'c-3,Cy,Tan,cy@example.com,06 12 34 56 80,wine,no'].join('\n');

it('imports a CSV with its report, edits consent, and builds a segment with a live count', { timeout: 120_000 }, async () => {
  await app.nav('Contacts').click();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();

  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await dialog.getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  // The mapping is proposed from the headers: Mobile is the phone, "SMS opt-in" SMS consent.
  await expect.poll(() => dialog.getByLabel('Field for Mobile').inputValue(), eventually).toBe('phone');
  expect(await dialog.getByLabel('Field for SMS opt-in').inputValue()).toBe('consent.sms');
  await dialog.getByLabel('Field for Groups').selectOption('tags');
  await dialog.getByLabel('Default country').fill('FR');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const report = dialog.getByLabel('Import report');
  await expect.poll(() => report.textContent(), eventually).toMatch(/2 new, 0 updated, 1 rejected/);
  const rejected = report.getByRole('table', { name: 'Rejected rows' });
  expect(await rejected.getByRole('row', { name: /2\s*email/ }).textContent()).toMatch(/not a valid email/);
  await app.screenshot('contacts-01-import-report');
  await dialog.getByRole('button', { name: 'Done' }).click();

  const table = page.getByRole('table', { name: 'Contacts' });
  await expect.poll(() => table.getByRole('row').count(), eventually).toBe(3);
  const ana = table.getByRole('row', { name: /Ana Lima/ });
  expect(await ana.textContent()).toMatch(/\+33612345678.*vip.*wine.*SMS ✓/);

  await page.getByLabel('Search').fill('tan');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => table.getByRole('row').count(), eventually).toBe(2);
  await table.getByRole('row', { name: /Cy Tan/ }).click();
  const edit = page.getByRole('dialog', { name: 'Edit contact' });
  await edit.getByLabel('WhatsApp').selectOption('opted_in');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => table.getByRole('row', { name: /Cy Tan/ }).textContent(), eventually).toMatch(/SMS ✕.*WhatsApp ✓/);

  await app.nav('Segments').click();
  await page.getByRole('button', { name: 'New segment' }).click();
  await page.getByLabel('Name').fill('Wine lovers on SMS');
  const count = page.getByRole('status', { name: 'Audience count' });
  await expect.poll(() => count.textContent(), eventually).toMatch(/^2 contacts · SMS 1/);
  await page.getByRole('button', { name: 'Add condition' }).click();
  await page.getByLabel('Tag', { exact: true }).fill('vip');
  await expect.poll(() => count.textContent(), eventually).toMatch(/^1 contacts · SMS 1/);
  await page.getByLabel('Match').selectOption('any');
  await page.getByRole('button', { name: 'Add condition' }).click();
  await page.getByLabel('Condition field').nth(1).selectOption('consent');
  await page.getByLabel('Channel').selectOption('whatsapp');
  await expect.poll(() => count.textContent(), eventually).toMatch(/^2 contacts · SMS 1 · WhatsApp 1/);
  await app.screenshot('contacts-02-segment');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.getByRole('list', { name: 'Saved segments' }).getByText('Wine lovers on SMS').waitFor();

  await page.getByRole('link', { name: 'View contacts' }).click();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  await expect.poll(async () => (await table.getByRole('row').allTextContents()).slice(1).map((r) => r.split('ana@')[0].split('cy@')[0]).sort(), eventually).toEqual(['Ana Lima', 'Cy Tan']);
});

it('shows a viewer the pages without the write controls', { timeout: 60_000 }, async () => {
  const viewer = await createConsoleUser(session.stack, session.apiKey, 'viewer');
  const other = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const viewerApp = new ConsoleApp(other, session.stack.url);
  await viewerApp.signIn(viewer.email, viewer.password);
  await viewerApp.nav('Contacts').click();
  await other.getByRole('table', { name: 'Contacts' }).getByRole('row', { name: /Ana Lima/ }).waitFor();
  expect(await other.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
  await viewerApp.nav('Segments').click();
  await other.getByRole('list', { name: 'Saved segments' }).getByText('Wine lovers on SMS').waitFor();
  expect(await other.getByRole('button', { name: 'Save segment' }).count()).toBe(0);
  await other.close();
});
