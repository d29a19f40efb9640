/**
 * The inspector's knowledge-base picker in real Chromium: an llmReply node lists the tenant's
 * knowledge bases by name with their document counts (none of another tenant's), a deleted one
 * shows as missing and publishing is refused on the node until it is removed; picking one with
 * the keyboard saves its id in the draft, and the flow then publishes.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import type { Stack } from '../support/stack';
import type { ConsoleApp, FlowBuilder } from './support/console';
import { startConsoleSession, type ConsoleSession } from './support/session';

let stack: Stack;
let apiKey: string;
let page: Page;
let app: ConsoleApp;
let builder: FlowBuilder;

let session: ConsoleSession | undefined;

beforeAll(async () => {
  session = await startConsoleSession('builder');
  ({ stack, apiKey, page, app, builder } = session);
});

afterAll(async () => {
  await session?.close();
});

const createKnowledgeBase = async (name: string, key = apiKey) => {
  const res = await stack.request('POST', '/v1/knowledge-bases', { apiKey: key, body: { name } });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const answerFlow = (knowledgeBaseIds: string[]): GraphInput => ({
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'answer', type: 'llmReply', position: { x: 0, y: 160 }, data: { knowledgeBaseIds } },
    { id: 'end', type: 'end', position: { x: 0, y: 320 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'answer' },
    { id: 'e2', source: 'answer', sourceHandle: 'next', target: 'end' },
  ],
});

it('picks knowledge bases by name, flags a deleted one, and saves the pick in the draft', { timeout: 60_000 }, async () => {
  onTestFailed(() => app.screenshot('knowledge-picker-failure'));
  const hours = await createKnowledgeBase('Opening hours');
  const docs = await stack.request('POST', `/v1/knowledge-bases/${hours}/documents`, { apiKey, body: { name: 'Hours', text: 'We open at nine.' } });
  expect(docs.status).toBe(202);
  await createKnowledgeBase('Menu');
  const gone = await createKnowledgeBase('Old prices');
  await createKnowledgeBase('Someone else’s', (await stack.createTenant()).apiKey);
  const flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Answers', graph: answerFlow([gone]) } })).body.id;
  expect((await stack.request('DELETE', `/v1/knowledge-bases/${gone}`, { apiKey })).status).toBe(204);

  await app.goto(`/flows/${flowId}`);
  await builder.node('answer').waitFor();
  await builder.select('answer');
  const picker = builder.inspector().getByRole('group', { name: 'Knowledge bases' });
  const hoursBox = picker.getByRole('checkbox', { name: /Opening hours/ });
  await hoursBox.waitFor();
  const names = await picker.locator('.ref-options').first().locator('li').allInnerTexts();
  expect(names.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['Menu 0 documents', 'Opening hours 1 document']);
  const missing = picker.getByRole('list', { name: 'Missing knowledge bases' });
  await expect.poll(() => missing.innerText()).toContain('missing knowledge base');
  expect(await missing.innerText()).toContain(gone);
  expect(await picker.getByRole('link', { name: 'Manage knowledge bases' }).getAttribute('href')).toBe('#/knowledge');

  // The builder's own validation cannot know the knowledge base is gone: the server refuses, on the node.
  await builder.waitSaved();
  await builder.publishButton().click();
  const dialog = page.getByRole('dialog', { name: 'Publish the draft' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await dialog.waitFor({ state: 'detached' });
  const problems = page.getByRole('tabpanel');
  await expect.poll(() => problems.innerText()).toContain(`knowledge base ${gone} does not exist`);
  await expect.poll(() => builder.problemCount()).toBe(1);
  await app.screenshot('knowledge-picker-refused');

  await builder.select('answer');
  await picker.getByRole('button', { name: `Remove missing knowledge base ${gone}` }).click();
  // Keyboard: Space toggles the focused checkbox.
  await hoursBox.focus();
  await page.keyboard.press('Space');
  expect(await hoursBox.isChecked()).toBe(true);
  await expect.poll(() => missing.count()).toBe(0);
  await app.screenshot('knowledge-picker');

  await expect
    .poll(async () => {
      const flow = (await stack.request('GET', `/v1/flows/${flowId}`, { apiKey })).body;
      return flow.graph.nodes.find((n: { id: string }) => n.id === 'answer').data.knowledgeBaseIds;
    })
    .toEqual([hours]);
  await builder.waitSaved();
  await expect.poll(() => builder.problemCount()).toBe(0);
  await builder.publish('with opening hours');
  await app.toast('Published version 1').waitFor();
  expect(app.errors).toEqual([]);
});
