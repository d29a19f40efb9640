/**
 * The console's email channel form (Settings → Email channels): it offers every inbound source
 * with its own fields (Mailgun's signing key, the IMAP mailbox), marks a missing field before
 * sending and a field the API refused after, and connects a SendGrid and an IMAP channel that the
 * API then holds with those settings.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from './support/console';
import { SettingsPageObject } from './support/pages';

let stack: Stack;
let browser: Browser;
let tenant: { tenantId: string; apiKey: string };
let page: Page;
let app: ConsoleApp;
const eventually = { timeout: 15_000, interval: 100 };
const SECRET = randomBytes(24).toString('hex');

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
  tenant = await stack.createTenant();
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('connects email channels with each inbound source’s fields, errors next to the field', { timeout: 90_000 }, async () => {
  const settings = new SettingsPageObject(app);
  await settings.open('email');
  await page.getByRole('button', { name: 'Connect email channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect email channel' });
  const source = dialog.getByLabel('Inbound mail from');
  expect(await source.locator('option').allTextContents()).toEqual(['Signed raw MIME (a relay)', 'Postmark Inbound', 'SendGrid Inbound Parse', 'Mailgun Routes', 'IMAP mailbox (polled)']);

  await dialog.getByLabel('Name').fill('Front desk');
  await dialog.getByLabel('From address').fill('desk@clinic.example');
  await dialog.getByLabel('SMTP host').fill('127.0.0.1');
  await dialog.getByLabel('Inbound secret').fill(SECRET);

  // Mailgun needs its signing key: marked before anything is sent.
  await source.selectOption('mailgun');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => dialog.getByLabel('Mailgun signing key').getAttribute('aria-invalid'), eventually).toBe('true');

  // The API refuses the address: the error lands on its field.
  await source.selectOption('sendgrid');
  await expect.poll(() => dialog.getByLabel('Mailgun signing key').count(), eventually).toBe(0);
  await dialog.getByLabel('From address').fill('not-an-address');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => dialog.getByLabel('From address').getAttribute('aria-invalid'), eventually).toBe('true');
  await dialog.getByLabel('From address').fill('desk@clinic.example');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'SendGrid Inbound Parse' }).waitFor();

  // IMAP: its mailbox fields appear, the host is required.
  await page.getByRole('button', { name: 'Connect email channel' }).click();
  await dialog.getByLabel('Name').fill('Mailbox');
  await dialog.getByLabel('From address').fill('box@clinic.example');
  await dialog.getByLabel('SMTP host').fill('127.0.0.1');
  await dialog.getByLabel('Inbound secret').fill(SECRET);
  await source.selectOption('imap');
  await dialog.getByLabel('IMAP user').fill('box');
  await dialog.getByLabel('IMAP password').fill('imap-password');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => dialog.getByLabel('IMAP host').getAttribute('aria-invalid'), eventually).toBe('true');
  await dialog.getByLabel('IMAP host').fill('127.0.0.1');
  await dialog.getByLabel('IMAP port').fill('1143');
  await dialog.getByRole('checkbox', { name: /Implicit TLS/ }).uncheck();
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'IMAP mailbox (polled)' }).waitFor();
  await app.screenshot('email-channels');

  const { body } = await stack.request('GET', '/v1/channels', { apiKey: tenant.apiKey });
  const byName = Object.fromEntries(body.channels.map((c: { name: string }) => [c.name, c]));
  expect(byName['Front desk']).toMatchObject({ settings: { inboundProvider: 'sendgrid', fromAddress: 'desk@clinic.example' } });
  expect(byName.Mailbox).toMatchObject({ settings: { inboundProvider: 'imap', imapHost: '127.0.0.1', imapPort: 1143, imapTls: false, imapUser: 'box' }, credentialFields: expect.arrayContaining(['imapPassword']) });
  // The IMAP channel's poll runs until the channel goes.
  expect((await stack.request('DELETE', `/v1/channels/${byName.Mailbox.id}`, { apiKey: tenant.apiKey })).status).toBe(204);
  expect(app.errors).toEqual([]);
});
