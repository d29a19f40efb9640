/**
 * The flow builder in real Chromium at laptop size (1280×720): sign in as an admin created through
 * the API, empty the blank flow with a selection box and Delete (one undo brings both nodes and
 * their edge back), build start → ask → sendMessage → end by dragging all four from the palette
 * and connecting their handles, see validation errors on the canvas and fix them in the inspector
 * (with variable autocomplete), publish with a note, chat with the draft in "Try it" (the running
 * node lights up), then as a visitor chat with the published flow on the web chat, see its run
 * drawn with the executed path, take the conversation over in the inbox and reply. The canvas
 * tools are in console-builder-tools.test.ts. Screenshots in test-results/console/.
 */
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

  // A selection box around Start and End, then Delete: both go, with the edge between them; one
  // undo brings all three back, redo empties the canvas again.
  await builder.selectBox();
  await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(2);
  await page.keyboard.press('Delete');
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
  await page.keyboard.press('Control+z');
  await builder.node('end').waitFor();
  await expect.poll(() => builder.edge('start', 'end').count()).toBe(1);
  expect(await page.locator('.react-flow__node').count()).toBe(2);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(0);

  // Four nodes from the palette onto the empty canvas, one under the other, connected by their handles.
  const canvas = (await page.locator('.editor-canvas').boundingBox())!;
  const at = (row: number) => ({ x: canvas.width * 0.35, y: canvas.height * (0.1 + row * 0.26) });
  const start = await builder.dragFromPalette('start', at(0));
  const ask = await builder.dragFromPalette('ask', at(1));
  const send = await builder.dragFromPalette('sendMessage', at(2));
  const end = await builder.dragFromPalette('end', at(3));
  expect([start, ask, send, end]).toEqual(['start-1', 'ask-1', 'sendMessage-1', 'end-1']);
  await builder.connect(start, ask);
  await builder.connect(ask, send);
  await builder.connect(send, end);

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
  // Every field carries its schema's help text, groups of fields too.
  await builder.inspector().getByText('Variable that stores the answer, e.g. name').waitFor();
  await builder.select(send);
  await builder.inspector().getByText(/^A file sent with the message/).waitFor();
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
  expect(draft.body.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['ask-1', 'end-1', 'sendMessage-1', 'start-1']);
  expect(draft.body.graph.edges.map((e: { source: string; target: string }) => `${e.source}>${e.target}`).sort()).toEqual(['ask-1>sendMessage-1', 'sendMessage-1>end-1', 'start-1>ask-1']);
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
  await visitor.goto(`${stack.url}/chat`);
  await visitor.getByLabel('API key').fill(apiKey);
  await visitor.getByLabel('API key').press('Tab');
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
  await expect.poll(async () => (await runs.highlighted()).map((n) => n.nodeId), { timeout: 20_000 }).toEqual([start, ask, send, end]);
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

  expect(app.errors).toEqual([]);
});
