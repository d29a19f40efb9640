/**
 * The Webhooks page in real Chromium against the real API and delivery worker: an admin adds an
 * endpoint (the signing secret is shown once and signs what the receiver gets), sees a delivery in
 * the log with its code and latency, sees a failed one in the dead-letter queue, replays it with
 * the same delivery id, and disables and re-enables the endpoint. Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../webhooks/signature';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { startReceiver, startRig, type Receiver, type Rig } from '../webhooks/support';
import { ConsoleApp, createConsoleUser } from './support/console';

let rig: Rig;
let receiver: Receiver;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };

beforeAll(async () => {
  await buildConsoleOnce();
  rig = await startRig();
  receiver = await startReceiver();
  browser = await launchBrowser();
  tenant = await rig.stack.createTenant();
  const admin = await createConsoleUser(rig.stack, tenant.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  app = new ConsoleApp(page, rig.stack.url);
  await app.signIn(admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
  await receiver?.close();
});

const eventually = { timeout: 15_000, interval: 100 };

it('adds an endpoint, shows a delivery, and replays a dead one from the dead-letter queue', { timeout: 120_000 }, async () => {
  await app.nav('Webhooks').click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const add = page.getByRole('dialog', { name: 'Add webhook endpoint' });
  await add.getByLabel('Endpoint URL').fill('ftp://nope');
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect.poll(() => add.getByLabel('Endpoint URL').getAttribute('aria-invalid'), eventually).toBe('true');
  await add.getByLabel('Endpoint URL').fill(receiver.url);
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  const shown = page.getByRole('dialog', { name: 'Signing secret' });
  await shown.waitFor();
  const secret = await shown.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await app.screenshot('webhooks-01-secret');
  await shown.getByRole('button', { name: 'I have stored it' }).click();

  const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
  await endpoints.getByRole('row', { name: new RegExp(receiver.url) }).getByText('enabled').waitFor();

  // A delivery that succeeds shows in the log with its code and latency.
  await rig.emit(tenant.tenantId, 'run.completed', { status: 'completed' });
  const log = page.getByRole('table', { name: 'Delivery log' });
  const ok = log.getByRole('row', { name: /run\.completed/ });
  await expect.poll(() => ok.textContent(), eventually).toMatch(/succeeded.*200.*\d+ ms/);
  expect(verifySignature(secret, String(receiver.received[0].headers['switchboard-signature']), receiver.received[0].body)).toBe(true);

  // One that fails every attempt lands in the dead-letter queue; replayed, it goes out with the same id.
  receiver.respond(() => ({ status: 500, body: 'down for maintenance' }));
  await rig.emit(tenant.tenantId, 'run.failed', { error: 'boom' });
  await page.getByRole('tab', { name: 'Dead-letter queue' }).click();
  const dead = page.getByRole('table', { name: 'Dead deliveries' }).getByRole('row', { name: /run\.failed/ });
  await expect.poll(() => dead.textContent(), eventually).toMatch(/dead.*500/);
  await dead.getByRole('button', { name: /^Attempts/ }).click();
  const attempts = page.getByRole('dialog', { name: 'Delivery attempts' });
  await expect.poll(() => attempts.getByRole('table', { name: 'Attempts' }).textContent(), eventually).toContain('down for maintenance');
  await app.screenshot('webhooks-02-attempts');
  await attempts.getByRole('button', { name: /close/i }).first().click();

  const failedId = receiver.received.at(-1)!.headers['switchboard-delivery-id'];
  const before = receiver.received.length;
  receiver.respond(() => ({ status: 200 }));
  await page.getByRole('button', { name: 'Replay all' }).click();
  await expect.poll(() => receiver.received.length, eventually).toBe(before + 1);
  expect(receiver.received.at(-1)!.headers['switchboard-delivery-id']).toBe(failedId);
  await expect.poll(() => page.getByText('No dead deliveries.').count(), eventually).toBe(1);
  await page.getByRole('tab', { name: 'Log' }).click();
  await expect.poll(() => log.getByRole('row', { name: /run\.failed/ }).textContent(), eventually).toMatch(/succeeded.*200/);
  await app.screenshot('webhooks-03-replayed');

  // Disabled, then enabled again.
  await page.getByRole('button', { name: `Disable ${receiver.url}` }).click();
  await endpoints.getByRole('row', { name: new RegExp(receiver.url) }).getByText('disabled').waitFor();
  await page.getByRole('button', { name: `Enable ${receiver.url}` }).click();
  await endpoints.getByRole('row', { name: new RegExp(receiver.url) }).getByText('enabled').waitFor();
  expect(app.errors).toEqual([]);
});
