/**
 * Reports and alerts in real Chromium against the real API and worker: an admin schedules the
 * weekly report in Settings → Reports (the schedule's next run shows), sends one now (it reaches
 * the fake SMTP server), creates an alert rule with a webhook on the Alerts page (its secret shown
 * once), sees the rule's value now, and its firing in the history after an evaluation.
 * Screenshots in test-results/console/.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { ReportsClient } from '../../temporal/reports';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, type Receiver } from '../webhooks/support';
import { createWebchatChannel } from '../widget/support';
import { eventually } from '../workflows/support/harness';
import { ConsoleApp, createConsoleUser } from './support/console';

let stack: Stack;
let smtp: FakeSmtp;
let receiver: Receiver;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };
let conversationId: string;
let reports: ReportsClient;
let scheduleId: string;

beforeAll(async () => {
  await buildConsoleOnce();
  smtp = await startFakeSmtp();
  receiver = await startReceiver();
  stack = await startStack({ ...sharedServers(), env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  tenant = await stack.createTenant();
  const channel = await createWebchatChannel(stack, tenant.apiKey, receptionFlow);
  conversationId = (await stack.request('POST', '/v1/conversations', { apiKey: tenant.apiKey, body: { flowId: channel.flowId } })).body.id;
  reports = new ReportsClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE);
  scheduleId = await reports.ensureAlertSchedule(3600);
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
});

afterAll(async () => {
  await stack?.temporal.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await browser?.close();
  await stack?.close();
  await receiver?.close();
  await smtp?.close();
});

const eventuallyOpts = { timeout: 15_000, interval: 100 };

it('schedules the weekly report and sends one now', { timeout: 120_000 }, async () => {
  await app.goto('/settings/reports');
  const form = page.getByRole('form', { name: 'Weekly report' });
  await form.getByLabel('Send the weekly report').check();
  await form.getByLabel('Day').selectOption('wednesday');
  await form.getByLabel(/^Hour/).selectOption('9');
  await form.getByLabel('Other addresses').fill('owner@example.com, ops@example.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await app.toast('Weekly report scheduled').waitFor();
  await expect.poll(() => form.getByText(/^Next: /).textContent(), eventuallyOpts).toMatch(/^Next: .+/);
  const saved = await stack.request('GET', '/v1/settings/reports', { apiKey: tenant.apiKey });
  expect(saved.body).toMatchObject({ enabled: true, weekday: 'wednesday', hour: 9, emails: ['owner@example.com', 'ops@example.com'], schedule: { paused: false } });

  await form.getByRole('button', { name: 'Send now' }).click();
  await app.toast(/Report sent to owner@example.com, ops@example.com/).waitFor({ timeout: 30_000 });
  const [mail] = await smtp.waitFor(1);
  expect(mail.envelope.to.sort()).toEqual(['ops@example.com', 'owner@example.com']);
  await page.getByRole('table', { name: 'Reports sent' }).getByText('preview').waitFor();
  await app.screenshot('settings-reports');
});

it('creates an alert rule, shows its value now and its firing', { timeout: 120_000 }, async () => {
  await app.nav('Alerts').click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New alert rule' });
  await dialog.getByLabel('Name').fill('Sends failing');
  await dialog.getByLabel('Metric').selectOption('failed_sends');
  await dialog.getByLabel('Is').selectOption('gte');
  await dialog.getByLabel('Threshold').fill('1');
  await dialog.getByLabel('Webhook URL').fill(receiver.url);
  await dialog.getByLabel('Cooldown (minutes)').fill('0');
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  const secret = page.getByRole('dialog', { name: 'Webhook signing secret' });
  expect(await secret.getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
  await secret.getByRole('button', { name: 'I have stored it' }).click();

  const rules = page.getByRole('table', { name: 'Alert rules' });
  await rules.getByText('Failed sends ≥ 1 over 1 h').waitFor();
  const id = randomUUID();
  await systemEm(stack.orm)
    .getConnection()
    .execute(`insert into messages (id, tenant_id, conversation_id, direction, author, text, idempotency_key, status) values (?, ?, ?, 'out', 'bot', 'Hi', ?, 'failed')`, [id, tenant.tenantId, conversationId, `e2e-${id}`]);
  const handle = stack.temporal.schedule.getHandle(scheduleId);
  await reports.triggerAlertEvaluation();
  // The server's scheduler starts the run on its own time: under the whole suite on two cores it
  // once took more than eventually's default 15 s.
  const workflowId = await eventually(async () => (await handle.describe()).info.recentActions.at(-1)?.action.workflow.workflowId, 60_000);
  await stack.temporal.workflow.getHandle(workflowId).result();
  await eventually(async () => (receiver.received.length === 1 ? true : undefined));

  await page.reload();
  await expect.poll(() => rules.locator('tbody tr').first().textContent(), eventuallyOpts).toContain('firing');
  expect(await rules.locator('tbody tr').first().textContent()).toContain('1');
  const history = page.getByRole('table', { name: 'Firing history' });
  await history.getByText('Sends failing').waitFor();
  expect(await history.locator('tbody tr').first().textContent()).toMatch(/firing.*1 \/ 1/);
  await app.screenshot('alerts');
  expect(app.errors).toEqual([]);
});
