/**
 * The flow builder in real Chromium at laptop size (1280×720): sign in as an admin created through
 * the API, build start → ask → sendMessage → end by dragging from the palette and connecting
 * handles, see validation errors on the canvas and fix them in the inspector (with variable
 * autocomplete), publish with a note, chat with the draft in "Try it" (the running node lights
 * up), then as a visitor chat with the published flow on the web chat, see its run drawn with the
 * executed path, take the conversation over in the inbox and reply; copy/paste, undo/redo, export
 * and restoring a version. Screenshots in test-results/console/.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser, FlowBuilder } from './support/console';
import { InboxPageObject, RunsPageObject } from './support/pages';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('builds, validates, publishes and tries a flow', { timeout: 180_000 }, async () => {
  const { apiKey } = await stack.createTenant();
  const admin = await createConsoleUser(stack, apiKey, 'admin');
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const app = new ConsoleApp(page, stack.url);
  page.on('console', (m) => m.type() === 'error' && console.error('[browser]', m.text()));
  const builder = new FlowBuilder(app);
  onTestFailed(async () => {
    console.error('page errors:', app.errors);
    await app.screenshot('failure');
  });

  // Unauthenticated → sign-in page.
  await app.goto('/flows');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await app.screenshot('01-sign-in');
  await app.signIn(admin.email, admin.password);
  await expect.poll(() => app.nav('Settings').count()).toBe(1);
  await app.screenshot('02-flows-empty');

  const flowId = await builder.createBlankFlow('Greeter');
  await app.screenshot('03-builder-blank');

  // Drop an Ask and a Send message from the palette.
  const canvas = (await page.locator('.editor-canvas').boundingBox())!;
  const ask = await builder.dragFromPalette('ask', { x: canvas.width * 0.2, y: canvas.height * 0.12 });
  const send = await builder.dragFromPalette('sendMessage', { x: canvas.width * 0.4, y: canvas.height * 0.88 });
  expect([ask, send]).toEqual(['ask-1', 'sendMessage-1']);

  // start → ask replaces start → end (an output leads to one step); then ask → send → end.
  await builder.connect('start', ask);
  await expect.poll(() => builder.edge('start', 'end').count()).toBe(0);
  await builder.connect(ask, send);
  await builder.connect(send, 'end');

  // The new nodes have no settings yet: errors on the nodes, listed, publish disabled.
  await expect.poll(() => builder.node(ask).locator('.fnode-invalid').count()).toBe(1);
  await expect.poll(() => builder.node(send).locator('.fnode-invalid').count()).toBe(1);
  await expect.poll(() => builder.problemCount()).toBeGreaterThanOrEqual(3);
  expect(await builder.publishButton().isDisabled()).toBe(true);
  await builder.openTab(/Problems/);
  await page.getByRole('button', { name: /Node 'ask-1': prompt is required/ }).waitFor();
  await app.screenshot('04-builder-errors');

  // Fix them in the inspector.
  await page.getByRole('button', { name: /Node 'ask-1': prompt is required/ }).click();
  await page.getByLabel(/^Prompt/).fill('What is your name?');
  await page.getByLabel(/^Variable/).fill('name');
  await builder.select(send);
  const text = page.getByLabel(/^Text/);
  await text.pressSequentially('Nice to meet you, {{na');
  await page.getByRole('option', { name: 'name' }).waitFor();
  await text.press('Enter');
  await text.pressSequentially('!');
  await expect.poll(() => text.inputValue()).toBe('Nice to meet you, {{name}}!');
  await expect.poll(() => builder.problemCount()).toBe(0);
  await expect.poll(() => page.locator('.fnode-invalid').count()).toBe(0);
  await builder.waitSaved();
  await app.screenshot('05-builder-valid');

  // The draft on the server is what the canvas shows.
  const draft = await stack.request('GET', `/v1/flows/${flowId}`, { apiKey });
  expect(draft.body.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['ask-1', 'end', 'sendMessage-1', 'start']);
  expect(draft.body.graph.edges.map((e: { source: string; target: string }) => `${e.source}>${e.target}`).sort()).toEqual(['ask-1>sendMessage-1', 'sendMessage-1>end', 'start>ask-1']);
  expect(draft.body.graph.nodes.find((n: { id: string }) => n.id === 'sendMessage-1').data).toEqual({ text: 'Nice to meet you, {{name}}!' });

  await builder.publish('First version: greets by name');
  await app.toast('Published version 1').waitFor();
  await page.getByRole('tabpanel').getByText('First version: greets by name').waitFor();
  await app.screenshot('06-published');
  expect((await stack.request('GET', `/v1/flows/${flowId}`, { apiKey })).body.latestVersion).toBe(1);

  // Try it: record every node the canvas lights up while the test chat runs.
  await page.evaluate(() => {
    const seen: string[] = ((window as any).__litNodes = []);
    new MutationObserver(() => {
      document.querySelectorAll('.fnode-active').forEach((el) => {
        const id = el.getAttribute('data-node-id')!;
        if (!seen.includes(id)) seen.push(id);
      });
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
  });
  await builder.startTestChat();
  await builder.sendTestMessage('hello');
  await builder.testMessage('bot', 'What is your name?').waitFor({ timeout: 20_000 });
  await builder.sendTestMessage('Ada');
  await builder.testMessage('bot', 'Nice to meet you, Ada!').waitFor({ timeout: 20_000 });
  await app.screenshot('07-try-it');
  await expect.poll(() => page.evaluate(() => (window as any).__litNodes as string[])).toEqual(expect.arrayContaining(['ask-1', 'sendMessage-1']));
  // Test conversations stay out of the inbox.
  const listed = await stack.request('GET', '/v1/conversations', { apiKey });
  expect(JSON.stringify(listed.body)).not.toContain('Ada');

  // The published flow through the web chat, as a visitor.
  const visitor = await browser.newPage({ viewport: { width: 420, height: 720 } });
  await visitor.goto(`${stack.url}/chat#key=${apiKey}`);
  await expect.poll(() => visitor.locator('#flow option').allTextContents()).toEqual(['Greeter (v1)']);
  await visitor.getByRole('button', { name: 'Start' }).click();
  const chatInput = visitor.getByLabel('Message');
  await expect.poll(() => chatInput.isEnabled()).toBe(true);
  const chatBubble = (author: string, text: string) => visitor.locator(`#log .msg.${author}`, { hasText: text });
  await chatInput.fill('hi');
  await chatInput.press('Enter');
  await chatBubble('bot', 'What is your name?').waitFor();
  await chatInput.fill('Grace');
  await chatInput.press('Enter');
  await chatBubble('bot', 'Nice to meet you, Grace!').waitFor();
  const live = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations[0];

  // Its run, drawn on the graph with the executed path in order.
  const runs = new RunsPageObject(app);
  await runs.open();
  await expect.poll(() => runs.row(live.workflowId).count(), { timeout: 20_000 }).toBe(1);
  await runs.openRun(live.workflowId);
  await expect.poll(async () => (await runs.highlighted()).map((n) => n.nodeId), { timeout: 20_000 }).toEqual(['start', ask, send, 'end']);
  await app.screenshot('08-run-highlighted');

  // The inbox: take the conversation over and reply; the visitor sees it.
  const inbox = new InboxPageObject(app);
  await inbox.open(live.id);
  await inbox.message('contact', 'Grace').waitFor();
  await inbox.takeOver();
  await inbox.reply('Hello Grace, Ada from the front desk here.');
  await chatBubble('agent', 'Hello Grace, Ada from the front desk here.').waitFor();
  await app.screenshot('09-inbox-reply');
  await visitor.close();

  // Back to the builder.
  await app.goto(`/flows/${flowId}`);
  await builder.node(send).waitFor();

  // Copy/paste, undo/redo, delete.
  await builder.node(send).click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await builder.node('sendMessage-2').waitFor();
  await expect.poll(() => builder.problemCount()).toBeGreaterThan(0); // the copy is not connected
  await page.keyboard.press('Control+z');
  await builder.node('sendMessage-2').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await builder.node('sendMessage-2').waitFor();
  await builder.node('sendMessage-2').click();
  await page.keyboard.press('Delete');
  await builder.node('sendMessage-2').waitFor({ state: 'detached' });
  await expect.poll(() => builder.problemCount()).toBe(0);

  // Export downloads the draft as JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported).toMatchObject({ format: 'switchboard.flow', name: 'Greeter' });
  expect(exported.graph.nodes).toHaveLength(4);

  // Change the draft, then restore version 1 into it.
  await builder.select(ask);
  await page.getByLabel(/^Prompt/).fill('Who are you?');
  await builder.waitSaved();
  await builder.openTab('Versions');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click();
  await app.toast('Restored version 1 into the draft').waitFor();
  await builder.waitSaved();
  const restored = await stack.request('GET', `/v1/flows/${flowId}`, { apiKey });
  expect(restored.body.graph.nodes.find((n: { id: string }) => n.id === 'ask-1').data.prompt).toBe('What is your name?');
  await expect.poll(() => builder.node(ask).textContent()).toContain('What is your name?');

  expect(app.errors).toEqual([]);
});

it('shows a viewer the flow read-only', { timeout: 90_000 }, async () => {
  const { apiKey } = await stack.createTenant();
  const viewer = await createConsoleUser(stack, apiKey, 'viewer');
  const flow = await stack.request('POST', '/v1/flows', {
    apiKey,
    body: { name: 'Look only', graph: { nodes: [{ id: 'start', type: 'start', data: {} }, { id: 'bye', type: 'end', data: { message: 'Bye' } }], edges: [{ id: 'e1', source: 'start', target: 'bye' }] } },
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const app = new ConsoleApp(page, stack.url);
  const builder = new FlowBuilder(app);
  await app.signIn(viewer.email, viewer.password);
  expect(await app.nav('Settings').count()).toBe(0);
  await app.goto(`/flows/${flow.body.id}`);
  await builder.node('bye').waitFor();
  expect(await page.locator('.palette').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
  expect(await page.getByRole('tab', { name: 'Try it' }).count()).toBe(0);
  await builder.select('bye');
  expect(await page.getByLabel(/^Message/).isDisabled()).toBe(true);
  await app.screenshot('10-viewer-read-only');
  expect(app.errors).toEqual([]);
  await page.close();
});
