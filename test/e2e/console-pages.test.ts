/**
 * The console's operating pages in real Chromium at 1280×720, against the real API, worker and
 * Temporal: sign in; the inbox lists a web-chat conversation and follows it live; an agent takes
 * over, types (the visitor's socket sees it) and replies, also with a canned response; the runs
 * list shows the conversation and its run page lights the executed nodes in order; a text file
 * uploaded to a knowledge base is indexed and found by the search playground; an API key is
 * shown once and works; the language model and the embedding endpoint are set and tested with
 * write-only keys; an email in two workspaces is asked for the workspace at sign-in. Screenshots
 * in test-results/console/.
 */
import { readFile } from 'node:fs/promises';
import { Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { askingAutomation, receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ChatClient, type Frame } from '../support/ws';
import { ConsoleApp, createConsoleUser } from './support/console';
import { InboxPageObject, KnowledgePageObject, RunsPageObject, SettingsPageObject } from './support/pages';

let stack: Stack;
let fake: FakeOpenAI;
let browser: Browser;
let tenant: { tenantId: string; apiKey: string };
let admin: { email: string; password: string };
let page: Page;
let app: ConsoleApp;
let visitor: ChatClient | undefined;

beforeAll(async () => {
  await buildConsoleOnce();
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
  tenant = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  app = new ConsoleApp(page, stack.url);
});

afterAll(async () => {
  visitor?.close();
  await browser?.close();
  await stack?.close();
  await fake?.close();
});

/**
 * Browser and server share two cores with other test runs: allow for a slow moment. This file runs
 * first, while the rest of the suite starts up, and 15 s was once too little for a run page to
 * re-read a finished run's history.
 */
const eventually = { timeout: 30_000, interval: 100 };

const isMessage = (author: string, text: string) => (f: Frame) => f.type === 'message' && f.message.author === author && f.message.text === text;

it('signs in, rejecting a wrong password next to the field', async () => {
  await app.goto('/inbox');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent(), eventually).toContain('wrong email or password');
  expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
  await app.screenshot('pages-01-sign-in-error');
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The page asked for before signing in opens after it.
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
});

it('follows a web-chat conversation live, takes it over and replies', { timeout: 120_000 }, async () => {
  const { apiKey } = tenant;
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Front desk', graph: receptionFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId: flow.body.id } });
  expect(session.status).toBe(201);
  const conversationId: string = session.body.conversationId;
  visitor = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
  await visitor.waitFor((f) => f.type === 'history');
  visitor.send({ text: 'hello' });
  await visitor.waitFor(isMessage('bot', 'Hello! What is your name?'));

  const inbox = new InboxPageObject(app);
  await inbox.open();
  await inbox.listItem(conversationId).waitFor();
  await inbox.listItem(conversationId).click();
  await inbox.message('contact', 'hello').waitFor();
  await inbox.message('bot', 'Hello! What is your name?').waitFor();

  // The contact writes: transcript and list follow without a reload.
  visitor.send({ text: 'Ada' });
  await inbox.message('contact', 'Ada').waitFor();
  await inbox.message('bot', 'Nice to meet you, Ada!').waitFor();
  await inbox.message('bot', 'How can I help you today?').waitFor();
  await expect.poll(() => inbox.listItem(conversationId).textContent(), eventually).toContain('How can I help you today?');
  await app.screenshot('pages-02-inbox-live');

  // Take over, type (the visitor sees the agent typing), reply.
  expect(await inbox.composer().isDisabled()).toBe(true);
  await inbox.takeOver();
  await app.toast('You took over the conversation').waitFor();
  await inbox.conversationPanel().getByText('With human').waitFor();
  await inbox.composer().pressSequentially('Hi Ada');
  await visitor.waitFor((f) => f.type === 'typing' && f.author === 'agent' && f.typing === true);
  await inbox.composer().pressSequentially(', Maria from the front desk here.');
  await inbox.composer().press('Enter');
  await visitor.waitFor(isMessage('agent', 'Hi Ada, Maria from the front desk here.'));
  await inbox.message('agent', 'Hi Ada, Maria from the front desk here.').waitFor();
  await visitor.waitFor((f) => f.type === 'typing' && f.author === 'agent' && f.typing === false);
  expect(await inbox.composer().inputValue()).toBe('');

  // A canned response: added from the menu (a bad shortcut is refused next to the field), then
  // picked by typing its shortcut.
  await inbox.addCannedResponse('opening hours', 'We are open every weekday from nine to five.');
  const editor = page.getByRole('dialog', { name: 'New canned response' });
  await expect.poll(() => editor.getByLabel('Shortcut').getAttribute('aria-invalid'), eventually).toBe('true');
  await editor.getByLabel('Shortcut').fill('hours');
  await editor.getByRole('button', { name: 'Save' }).click();
  await app.toast('Saved /hours').waitFor();
  await page.getByRole('dialog', { name: 'Canned responses' }).getByText('/hours').waitFor();
  await app.screenshot('pages-03-canned-responses');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Canned responses' }).waitFor({ state: 'detached' });
  await inbox.insertCanned('hou');
  expect(await inbox.composer().inputValue()).toBe('We are open every weekday from nine to five.');
  await inbox.composer().press('Enter');
  await visitor.waitFor(isMessage('agent', 'We are open every weekday from nine to five.'));
  await app.screenshot('pages-04-inbox-replied');

  // Handed back to the bot: the list moves it between states live.
  await inbox.conversationPanel().getByRole('button', { name: 'Release to bot' }).click();
  await inbox.conversationPanel().getByText('With bot').waitFor();
  await inbox.filterByState('Human');
  await inbox.listItem(conversationId).waitFor({ state: 'detached' });
  await inbox.filterByState('Bot');
  await inbox.listItem(conversationId).waitFor();

  // Asking for a human moves it out of "Bot" while the list is open; "Waiting" has it.
  visitor.send({ text: 'Can I talk to a human please?' });
  await inbox.listItem(conversationId).waitFor({ state: 'detached', timeout: 15_000 });
  await inbox.filterByState('Waiting');
  await inbox.listItem(conversationId).waitFor();
  await inbox.conversationPanel().getByText('Waiting for human').waitFor();

  // Closing asks first.
  await inbox.conversationPanel().getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('dialog', { name: 'Close this conversation?' }).getByRole('button', { name: 'Close conversation' }).click();
  await inbox.conversationPanel().getByText('Closed', { exact: true }).waitFor({ timeout: 15_000 });
  await inbox.listItem(conversationId).waitFor({ state: 'detached' });
  expect(app.errors).toEqual([]);
});

it('lists the conversation’s run and draws its executed path', { timeout: 60_000 }, async () => {
  const conversations = await stack.request('GET', '/v1/conversations', { apiKey: tenant.apiKey });
  const workflowId: string = conversations.body.conversations[0].workflowId;
  const runs = new RunsPageObject(app);
  await runs.open();
  // Visibility is eventually consistent: refresh until the run is listed.
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return runs.row(workflowId).count();
      },
      { timeout: 20_000, interval: 1000 },
    )
    .toBe(1);
  await app.screenshot('pages-05-runs');

  await runs.openRun(workflowId);
  await expect.poll(() => runs.highlighted().then((h) => h.map((n) => n.nodeId)), eventually).toEqual(expect.arrayContaining(['askName', 'greet', 'askQuestion']));
  // Lit in the order they ran (steps #1…#4); the model answer and the end were never reached.
  expect(await runs.highlighted()).toEqual([
    { nodeId: 'start', order: 1 },
    { nodeId: 'askName', order: 2 },
    { nodeId: 'greet', order: 3 },
    { nodeId: 'askQuestion', order: 4 },
  ]);
  const detail = await runs.openStep('greet');
  await detail.getByText('Nice to meet you, Ada!').first().waitFor();
  await app.screenshot('pages-06-run');

  // Reset offers the nodes that ran an activity; `start` ran none, so it is shown with the reason.
  const reset = await runs.openAction('Reset to node…');
  const option = (nodeId: string) => reset.getByLabel('Node').locator(`option[value="${nodeId}"]`);
  expect(await option('start').isDisabled()).toBe(true);
  expect(await option('start').textContent()).toContain('ran no activity');
  expect(await option('greet').isDisabled()).toBe(false);
  expect(await reset.getByLabel('Node').inputValue()).not.toBe('start');
  await reset.getByRole('button', { name: 'Cancel' }).click();
  await reset.waitFor({ state: 'detached' });
  expect(app.errors).toEqual([]);
});

it('draws a loop: every visit numbered on its node, the back edge lit', { timeout: 40_000 }, async () => {
  const { apiKey } = tenant;
  const step = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
  const graph = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'init', type: 'setVariable', data: { variable: 'n', expression: '0' } },
      { id: 'check', type: 'condition', data: { expression: 'n < 2' } },
      { id: 'inc', type: 'setVariable', data: { variable: 'n', expression: 'n + 1' } },
      { id: 'done', type: 'end', data: {} },
    ],
    edges: [step('start', 'init'), step('init', 'check'), step('check', 'inc', 'true'), step('inc', 'check'), step('check', 'done', 'false')],
  };
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Counter', graph } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const run = await stack.request('POST', `/v1/flows/${flow.body.id}/runs`, { apiKey, body: { input: {} } });
  const runs = new RunsPageObject(app);
  // The worker leaves the trace unread twice (as a loaded worker may, replaying a closed run for the
  // query): the page says so and asks again until it has the path.
  let unread = 2;
  await page.route('**/v1/runs/*/history', async (route) => {
    // Under the whole suite's start one read once took longer than the fetch's 30 s and failed as an
    // unhandled rejection: aborted instead, it is a failed read the page polls again after.
    const response = await route.fetch().catch(() => null);
    if (!response) return route.abort().catch(() => undefined);
    const body = await response.json();
    if (body.status !== 'completed' || unread === 0) return route.fulfill({ response, json: body });
    unread--;
    await route.fulfill({ response, json: { ...body, nodes: [], visits: [], traceRead: false } });
  });
  await app.goto(`/runs/${encodeURIComponent(run.body.workflowId)}`);
  await expect.poll(() => runs.status(), eventually).toBe('completed');
  await page.getByRole('status').filter({ hasText: 'The worker has not yet answered for the path this run took' }).waitFor();
  // start 1, init 2, check 3 · 5 · 7, inc 4 · 6, done 8.
  const order = (nodeId: string) => page.locator(`.fnode[data-node-id="${nodeId}"] .fnode-order`);
  await expect.poll(() => order('check').textContent(), eventually).toMatch(/^#3, 5, 7\b/);
  expect(await order('inc').textContent()).toMatch(/^#4, 6\b/);
  expect(await order('done').textContent()).toMatch(/^#8\b/);
  const lit = async (source: string, target: string) => (await page.locator(`.react-flow__edge[aria-label="Edge from ${source} to ${target}"]`).getAttribute('class'))?.includes('fedge-taken');
  for (const [source, target] of [['start', 'init'], ['init', 'check'], ['check', 'inc'], ['inc', 'check'], ['check', 'done']]) expect(await lit(source, target), `${source} → ${target}`).toBe(true);
  await page.getByRole('list', { name: 'Executed nodes in order' }).locator('[data-node-id="check"]').getByText('#3, 5, 7').waitFor();
  expect(unread).toBe(0);
  await page.getByRole('status').filter({ hasText: 'has not yet answered' }).waitFor({ state: 'detached' });
  // A history read may still be in the handler's fetch; unrouting without waiting let it outlive
  // the page and fail as an unhandled rejection.
  await page.unrouteAll({ behavior: 'wait' });
  await app.screenshot('pages-06b-run-loop');
  expect(app.errors).toEqual([]);
});

it('resumes an automation run by signal and terminates another, from the run page', { timeout: 90_000 }, async () => {
  const { apiKey } = tenant;
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Approval', graph: askingAutomation } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const start = () => stack.request('POST', `/v1/flows/${flow.body.id}/runs`, { apiKey, body: { input: { item: 'laptop' } } });
  const [first, second] = [await start(), await start()];
  const runs = new RunsPageObject(app);

  await app.goto(`/runs/${encodeURIComponent(first.body.workflowId)}`);
  await expect.poll(() => runs.highlighted().then((h) => h.map((n) => n.nodeId)), eventually).toEqual(['start', 'approve']);
  expect(await runs.status()).toBe('running');

  // While it runs the page re-reads the history; a failed read says so over the last one read.
  await page.route('**/v1/runs/*/history', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Temporal is busy' } }) }));
  const stale = page.getByRole('alert').filter({ hasText: 'Could not refresh the history (showing the last one read): Temporal is busy' });
  await stale.waitFor({ timeout: 10_000 });
  expect((await runs.highlighted()).map((n) => n.nodeId)).toEqual(['start', 'approve']);
  await page.unrouteAll({ behavior: 'wait' });
  await stale.waitFor({ state: 'detached', timeout: 10_000 });

  // The signal's arguments must be a JSON array: the error shows next to them.
  const signal = await runs.openAction('Signal…');
  await signal.getByLabel('Signal').selectOption('resume');
  await signal.getByLabel('Arguments (JSON array)').fill('yes');
  await signal.getByRole('button', { name: 'Send signal' }).click();
  await signal.getByText('Arguments must be a JSON array').waitFor();
  await signal.getByLabel('Arguments (JSON array)').fill('[{"text": "yes"}]');
  await signal.getByRole('button', { name: 'Send signal' }).click();
  await app.toast('Signal sent').waitFor();
  // Polled while running: the page follows the run to its end without a reload.
  await expect.poll(() => runs.status(), eventually).toBe('completed');
  await expect.poll(() => runs.highlighted().then((h) => h.map((n) => n.nodeId)), eventually).toEqual(['start', 'approve', 'tell', 'done']);
  await page.getByRole('region', { name: 'Output' }).getByText('Approved: laptop').first().waitFor();
  await app.screenshot('pages-07-run-signalled');

  // The raw history downloads as JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download history JSON' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.history\.json$/);
  const raw = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(raw.events.length).toBeGreaterThan(5);

  await app.goto(`/runs/${encodeURIComponent(second.body.workflowId)}`);
  await expect.poll(() => runs.status(), eventually).toBe('running');
  const terminate = await runs.openAction('Terminate');
  await terminate.getByLabel('Reason').fill('duplicate request');
  await terminate.getByRole('button', { name: 'Terminate' }).click();
  await app.toast('Run terminated').waitFor();
  await expect.poll(() => runs.status(), eventually).toBe('terminated');
  await page.getByRole('alert').filter({ hasText: 'duplicate request' }).waitFor();
  expect(app.errors).toEqual([]);
});

it('uploads a text file, follows it to ready and finds it in the playground', { timeout: 90_000 }, async () => {
  const knowledge = new KnowledgePageObject(app);
  await knowledge.open();
  await knowledge.create('Clinic FAQ');
  // The first progress read says "processing" and the next two fail: the failure shows above the
  // list until a read succeeds.
  let reads = 0;
  await page.route(/\/v1\/documents\/[^/]+$/, async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    reads++;
    if (reads === 1) {
      const response = await route.fetch();
      return route.fulfill({ response, json: { ...(await response.json()), status: 'processing' } });
    }
    if (reads <= 3) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'database busy' } }) });
    return route.continue();
  });
  await knowledge.upload('parking.txt', 'Parking\n\nVisitors park for free in the underground garage on Harbor Street. The garage opens at seven.');
  await app.toast('Document added: indexing started').waitFor();
  const pollError = page.getByRole('alert').filter({ hasText: 'Indexing progress could not be refreshed: database busy' });
  await pollError.waitFor({ timeout: 10_000 });
  await expect.poll(() => knowledge.documentStatus('parking.txt'), { timeout: 60_000, interval: 500 }).toBe('ready');
  await pollError.waitFor({ state: 'detached' });
  await page.unrouteAll({ behavior: 'wait' });
  await app.screenshot('pages-08-knowledge');

  const hits = await knowledge.search('where can I park?');
  await hits.first().waitFor();
  expect(await hits.first().textContent()).toContain('underground garage');
  expect(await hits.first().textContent()).toContain('parking.txt');
  await app.screenshot('pages-09-search');
  expect(app.errors).toEqual([]);
});

it('imports a CSV of questions and answers, follows the import to done and lists the row it could not import', { timeout: 90_000 }, async () => {
  const knowledge = new KnowledgePageObject(app);
  await knowledge.open();
  await knowledge.create('Front desk FAQ');
  const csv = 'question,answer\nDo you take walk-ins?,Yes until noon.\nIs there wifi?,Ask the desk for the code.\nEmpty row?,\n';
  const form = await knowledge.importFile('faq.csv', csv);
  await app.toast('Importing 2 documents').waitFor();
  const status = form.getByRole('status', { name: 'Import progress' });
  await status.getByText('Done: 2 ready, 0 failed, 0 to go · 1 row not imported').waitFor({ timeout: 60_000 });
  await form.getByRole('list', { name: 'Rows not imported' }).getByText('Row 3 (text)').waitFor();
  // The list re-reads when the import is done: both documents are there, ready.
  await expect.poll(() => knowledge.documentStatus('Do you take walk-ins?'), { timeout: 10_000, interval: 500 }).toBe('ready');
  expect(await knowledge.documentStatus('Is there wifi?')).toBe('ready');
  await app.screenshot('pages-10-import');

  // The batch's run is listed under its kind and drawn by its steps.
  const runs = new RunsPageObject(app);
  await runs.open();
  await page.getByRole('combobox').filter({ hasText: 'Any type' }).selectOption({ label: 'Bulk import batch' });
  const batchRun = page.getByRole('link', { name: /^bulk:/ }).first();
  await batchRun.click();
  await page.getByRole('heading', { name: /bulk:/ }).waitFor();
  await expect.poll(() => runs.status(), { timeout: 15_000, interval: 100 }).toBe('completed');
  await page.getByRole('list', { name: 'Executed nodes in order' }).locator('[data-node-id="@index"]').waitFor();
  expect(app.errors).toEqual([]);
});

it('creates a read-only API key with an expiry that is shown once and works as scoped', async () => {
  const settings = new SettingsPageObject(app);
  await settings.open('api-keys');
  const nextYear = new Date().getFullYear() + 1;
  const key = await settings.createApiKey('website backend', { scope: 'read-only', expiresOn: `${nextYear}-06-30` });
  expect(key.length).toBeGreaterThan(20);
  await app.screenshot('pages-10-api-key');
  await settings.closeShownKey();
  await page.getByRole('cell', { name: 'website backend', exact: true }).waitFor();
  // Never shown again.
  expect(await page.content()).not.toContain(key);
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'website backend', exact: true }) });
  await row.getByRole('cell', { name: 'read-only', exact: true }).waitFor();
  await row.getByText(String(nextYear)).waitFor();
  const flows = await stack.request('GET', '/v1/flows', { apiKey: key });
  expect(flows.status).toBe(200);
  expect((await stack.request('POST', '/v1/api-keys', { apiKey: key, body: { name: 'escalate' } })).status).toBe(403);
  expect(app.errors).toEqual([]);
});

it('shows the key’s creation in the audit log, filters it, opens its details and exports the CSV', async () => {
  const settings = new SettingsPageObject(app);
  await settings.open('audit');
  const log = page.getByRole('table', { name: 'Audit log' });
  await log.getByRole('cell', { name: 'api-key.create', exact: true }).first().waitFor();
  const filters = page.getByRole('form', { name: 'Audit log filters' });
  await filters.getByLabel('Action').fill('api-key.create');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect.poll(async () => new Set(await log.locator('tbody td:nth-child(3)').allInnerTexts())).toEqual(new Set(['api-key.create']));
  await log.getByRole('button', { name: /^Details of api-key\.create/ }).first().click();
  const changed = page.getByRole('list', { name: 'Changed fields' });
  await changed.getByText('scope: ∅ → read-only').waitFor();
  await app.screenshot('pages-10b-audit-log');
  await page.keyboard.press('Escape');
  const href = await filters.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toBe('/v1/audit-log/export?action=api-key.create');
  const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
  expect(csv.split('\n')[0]).toMatch(/^createdAt,actorLabel,/);
  expect(csv).toContain('api-key.create');
  expect(app.errors).toEqual([]);
});

it('adds a user (API errors next to the field) and sets and tests the language model', { timeout: 60_000 }, async () => {
  const settings = new SettingsPageObject(app);
  await settings.open('users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByLabel('Name').fill('Maria');
  await dialog.getByLabel('Role').selectOption('agent');
  await dialog.getByLabel('Initial password').fill('a-long-enough-password');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect.poll(() => dialog.getByLabel('Email').getAttribute('aria-invalid'), eventually).toBe('true');
  await dialog.getByLabel('Email').fill('maria@example.test');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('combobox', { name: 'Role of maria@example.test' }).selectOption('builder');
  await app.toast('maria@example.test is now builder').waitFor();
  const users = await stack.request('GET', '/v1/users', { apiKey: tenant.apiKey });
  expect(users.body.items.find((u: { email: string }) => u.email === 'maria@example.test').role).toBe('builder');
  await app.screenshot('pages-11-users');

  await settings.open('llm');
  const form = page.getByRole('form', { name: 'Language model' });
  await form.getByLabel('Base URL').fill(`${fake.url}/v1`);
  await form.getByLabel('Model').first().fill('gpt-console');
  await form.getByLabel('API key').first().fill('sk-console-test');
  await form.getByRole('button', { name: 'Save' }).click();
  await app.toast('Language model saved').waitFor();
  // Write-only: the stored key is never sent back to the page.
  expect(await form.getByLabel('API key').first().inputValue()).toBe('');
  expect(await page.content()).not.toContain('sk-console-test');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByRole('status', { name: 'Connection test result' }).getByText('Connected').waitFor();
  expect(fake.chatRequests.at(-1)?.body.model).toBe('gpt-console');
  expect(fake.chatRequests.at(-1)?.headers.authorization).toBe('Bearer sk-console-test');
  await app.screenshot('pages-12-llm');
  expect(app.errors).toEqual([]);
});

it('sets the embedding endpoint: field errors, key set, the indexed document reindexed, and a connection test', async () => {
  const settings = new SettingsPageObject(app);
  await settings.open('llm');
  await page.getByRole('tab', { name: 'Embeddings' }).click();
  const form = page.getByRole('form', { name: 'Embeddings' });
  await form.getByText('offline:hashed-ngrams-v2').waitFor();
  await form.getByLabel('Base URL').fill(`${fake.url}/v1`);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => form.getByLabel('Model', { exact: true }).getAttribute('aria-invalid'), eventually).toBe('true');
  await form.getByLabel('Model', { exact: true }).fill('embed-console');
  await form.getByLabel('API key').fill('ek-console-test');
  await form.getByRole('button', { name: 'Save' }).click();
  // The knowledge tests' documents (one uploaded, two imported) are indexed again with the new model.
  await app.toast('Embeddings saved; reindexing 3 documents').waitFor();
  await form.getByText('key set').waitFor();
  await form.getByText('openai:embed-console@384').waitFor();
  expect(await form.getByLabel('API key').inputValue()).toBe('');
  expect(await page.content()).not.toContain('ek-console-test');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByRole('status', { name: 'Connection test result' }).getByText('Connected').waitFor();
  expect(fake.requests.filter((r) => r.path === '/v1/embeddings').at(-1)?.headers.authorization).toBe('Bearer ek-console-test');
  await app.screenshot('pages-13-embeddings');
  expect(app.errors).toEqual([]);
});

it('asks for the workspace when the email signs in to several of them', async () => {
  // The same email in a second workspace, with another password.
  const other = await stack.createTenant();
  expect((await stack.request('POST', '/v1/users', { apiKey: other.apiKey, body: { email: admin.email, name: 'Elsewhere', role: 'viewer', password: 'another-workspace-pass' } })).status).toBe(201);
  const slug = (await systemEm(stack.orm).findOneOrFail(Tenant, { id: tenant.tenantId })).slug;

  const fresh = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const signIn = new ConsoleApp(fresh, stack.url);
  await signIn.goto('/inbox');
  await fresh.getByLabel('Email').fill(admin.email);
  await fresh.getByLabel('Password').fill(admin.password);
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  const workspace = fresh.getByLabel('Workspace');
  await expect.poll(() => workspace.getAttribute('aria-invalid'), eventually).toBe('true');
  await signIn.screenshot('pages-14-sign-in-workspace');
  await workspace.fill(slug);
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  await fresh.getByRole('heading', { name: 'Inbox' }).waitFor();
  expect(signIn.errors).toEqual([]);
  await fresh.close();
});
