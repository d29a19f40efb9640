/**
 * The voice console in Chromium, against the real stack and the fake Twilio: Settings → Voice
 * channels connects a Twilio number (the auth token write-only, a malformed number refused on its
 * field); the inbox shows a live call on its conversation (status, ticking duration) and an agent
 * takes it over to their phone; the call's run page shows its metrics per node.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { ConsoleApp, createConsoleUser } from '../e2e/support/console';
import { NUMBER, newCaller, startVoiceBench, type VoiceBench } from '../voice-e2e/support';

let bench: VoiceBench;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
const eventually = { timeout: 20_000, interval: 100 };
const TOKEN = 'f'.repeat(8) + '0123456789abcdef' + 'e'.repeat(8);
const link = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

beforeAll(async () => {
  await buildConsoleOnce();
  bench = await startVoiceBench(sharedServers());
  browser = await launchBrowser();
  const admin = await createConsoleUser(bench.stack, bench.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, bench.stack.url);
  await app.signIn(admin.email, admin.password);
});
afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

it('connects a voice channel; the auth token is write-only; a bad number is refused on its field; the voice profile plays a sample', { timeout: 90_000 }, async () => {
  await app.goto('/settings/voice');
  await page.getByRole('button', { name: 'Connect voice channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect voice channel' });
  await dialog.getByLabel('Name').fill('Front desk line');
  await dialog.getByLabel('Twilio Account SID').fill(`AC${'a1'.repeat(16)}`);
  await dialog.getByLabel('Twilio auth token').fill('secret-token-value');
  await dialog.getByLabel('Phone numbers').fill('+14155550100, 555-0101');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => dialog.getByLabel('Phone numbers').getAttribute('aria-invalid'), eventually).toBe('true');
  await dialog.getByLabel('Phone numbers').fill('+14155550100, +14155550101');
  // The API refuses the token's shape: the error lands on the token's field.
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => dialog.getByLabel('Twilio auth token').getAttribute('aria-invalid'), eventually).toBe('true');
  await dialog.getByLabel('Twilio auth token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: '+14155550100, +14155550101' }).waitFor();
  await app.screenshot('voice-channels');

  const { body } = await bench.stack.request('GET', '/v1/channels', { apiKey: bench.apiKey });
  const channel = body.channels.find((c: { name: string }) => c.name === 'Front desk line');
  expect(channel).toMatchObject({ type: 'voice', settings: { numbers: ['+14155550100', '+14155550101'] }, credentialFields: ['accountSid', 'authToken'] });
  expect(JSON.stringify(channel)).not.toContain(TOKEN);

  const voice = await bench.stack.request('POST', '/v1/voices', { apiKey: bench.apiKey, body: { name: 'Front desk voice', provider: 'espeak', voiceId: 'en-us' } });
  expect(voice.status, JSON.stringify(voice.body)).toBe(201);
  // Editing keeps the stored token when the field stays empty.
  await page.getByRole('button', { name: 'Edit Front desk line' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit voice channel' });
  await expect.poll(() => edit.getByLabel('Twilio auth token').inputValue(), eventually).toBe('');
  await edit.getByLabel('Language').fill('en-GB');
  // The voice profile calls speak with, and a sample of it.
  await edit.getByLabel('Voice profile').selectOption({ label: 'Front desk voice' });
  await edit.getByRole('button', { name: 'Play sample' }).click();
  await edit.getByLabel('Front desk voice sample').waitFor();
  expect(await edit.getByLabel('Front desk voice sample').getAttribute('src')).toMatch(/\/media\//);
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'detached' });
  const after = (await bench.stack.request('GET', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey })).body;
  expect(after).toMatchObject({ settings: { language: 'en-GB', voiceProfileId: voice.body.id }, credentialFields: ['accountSid', 'authToken'] });
  expect(app.errors).toEqual([]);
});

it('shows a live call in the inbox, lets an agent take it over, and the run page shows its metrics', { timeout: 120_000 }, async () => {
  const channel = await bench.channel({
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'q', type: 'ask', data: { prompt: 'How can we help?', variable: 'need' } },
      { id: 'bye', type: 'hangup', data: {} },
    ],
    edges: [link('start', 'q'), link('q', 'bye')],
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
  });
  const agent = await createConsoleUser(bench.stack, bench.apiKey, 'agent');
  await bench.stack.request('PATCH', `/v1/users/${agent.id}`, { apiKey: bench.apiKey, body: { phone: '+14155550188' } });
  const call = bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER, statusEvents: ['answered', 'completed'] });
  // The caller says nothing for a while: the first silence re-asks, the call stays on the line.
  expect(await call.waitForListening()).toBe('gather');
  const [row] = await systemEm(bench.stack.orm).getConnection().execute<{ conversation_id: string }[]>(`select conversation_id from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]);

  const agentPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const agentApp = new ConsoleApp(agentPage, bench.stack.url);
  await agentApp.signIn(agent.email, agent.password);
  await agentApp.goto(`/inbox/${row.conversation_id}`);
  const calls = agentPage.getByRole('region', { name: 'Phone calls' });
  await calls.locator('[data-call-status="in-progress"]').waitFor();
  const duration = calls.locator('[data-call-duration]');
  const first = await duration.textContent();
  await expect.poll(() => duration.textContent(), eventually).not.toBe(first);
  await agentPage.getByText('How can we help?').first().waitFor();

  await calls.getByRole('button', { name: 'Take over call' }).click();
  const dialog = agentPage.getByRole('dialog', { name: 'Take over call' });
  await expect.poll(() => dialog.getByLabel('Ring this phone').inputValue(), eventually).toBe('+14155550188');
  await dialog.getByRole('button', { name: 'Ring my phone' }).click();
  await agentApp.toast('The call is ringing +14155550188').waitFor();
  await call.ended;
  expect(call.heard.find((h) => h.verb === 'dial')).toMatchObject({ targets: [{ value: '+14155550188' }] });
  await calls.locator('[data-call-status="completed"]').waitFor({ timeout: 20_000 });
  await expect.poll(() => calls.getByRole('button', { name: 'Take over call' }).count(), eventually).toBe(0);
  await agentApp.screenshot('inbox-call');

  // The run page of the call: its metrics per node.
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
  await app.goto(`/runs/${encodeURIComponent(callWorkflowId(bench.tenantId, call.sid))}`);
  const metrics = page.getByRole('region', { name: 'Call metrics' }).or(page.locator('section, div').filter({ has: page.getByRole('heading', { name: 'Call metrics' }) }).last());
  await page.getByRole('heading', { name: 'Call metrics' }).waitFor();
  await expect.poll(() => page.getByRole('cell', { name: 'q', exact: true }).count(), eventually).toBeGreaterThan(0);
  expect(await metrics.count()).toBeGreaterThan(0);
  await app.screenshot('run-call-metrics');
  expect([...app.errors, ...agentApp.errors]).toEqual([]);
  await agentPage.close();
});
