/**
 * The marketing assistant page in real Chromium against the real stack: a marketer asks, the
 * answer streams in over the chat socket (the fake OpenAI server calls a tool first), and the
 * figures it used are shown beside it; a workspace without a model says so and answers an offered
 * question from its tools; a viewer is told the page is for marketing roles.
 * Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { seedAnalytics, seedCampaigns } from '../assistant/fixtures';
import { ConsoleApp, createConsoleUser } from './support/console';

let stack: Stack;
let fake: FakeOpenAI;
let browser: Browser;
let page: Page;
let app: ConsoleApp;

beforeAll(async () => {
  await buildConsoleOnce();
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
}, 180_000);

/** Each test signs in on a page of its own (its own cookies). */
async function freshPage() {
  await page?.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  app = new ConsoleApp(page, stack.url);
}

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await fake?.close();
});

it('streams an answer and shows the figures it used beside it', { timeout: 90_000 }, async () => {
  const tenant = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  await seedAnalytics(stack.orm, tenant.tenantId);
  const marketer = await createConsoleUser(stack, tenant.apiKey, 'marketer');
  await freshPage();
  let calls = 0;
  fake.script((req) => {
    calls++;
    const tool = (req.body.messages as { role: string; content: string }[]).find((m) => m.role === 'tool');
    if (!tool) return { toolCalls: [{ id: 'call_overview', name: 'analytics_overview', arguments: '{"period":"last_7_days"}' }] };
    const conversations = JSON.parse(tool.content).figures.conversations;
    return { content: `You had ${conversations} conversations in the last 7 days, twice the week before.`, chunkSize: 6, chunkDelayMs: 40 };
  });

  await app.signIn(marketer.email, marketer.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistant' }).click();
  await page.getByRole('heading', { name: 'Marketing assistant' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  await page.getByLabel('Question').fill('How did last week go?');
  await page.getByRole('button', { name: 'Ask' }).click();

  const log = page.getByRole('list', { name: 'Assistant conversation' });
  // Part of the answer is on screen before it is complete (streamed deltas).
  await log.locator('.assistant-streaming').waitFor();
  const answer = log.locator('.assistant-answer').filter({ hasText: 'You had 10 conversations in the last 7 days, twice the week before.' });
  await answer.waitFor();
  const figures = answer.getByRole('complementary', { name: 'Figures used' });
  expect(await figures.textContent()).toMatch(/Analytics · last 7 days.*conversations 10 · resolution 50 % · handoff 30 %/);
  expect(await log.locator('.assistant-question').textContent()).toBe('How did last week go?');
  expect(calls).toBe(2);
  await app.screenshot('assistant-answer');

  // Coming back shows the conversation so far, figures included.
  await page.reload();
  await page.getByRole('heading', { name: 'Marketing assistant' }).waitFor();
  await page.getByRole('complementary', { name: 'Figures used' }).waitFor();
  expect(app.errors).toEqual([]);
});

it('says what needs a model, and answers an offered question from its tools', { timeout: 90_000 }, async () => {
  const tenant = await stack.createTenant();
  await seedCampaigns(stack.orm, tenant.tenantId);
  const marketer = await createConsoleUser(stack, tenant.apiKey, 'marketer');
  await freshPage();
  await app.signIn(marketer.email, marketer.password);
  await app.goto('/assistant');
  const note = page.getByRole('note');
  await note.waitFor();
  expect(await note.textContent()).toContain('No language model is configured');
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  await note.getByRole('button', { name: 'list my campaigns' }).click();
  const answer = page.locator('.assistant-answer').filter({ hasText: 'Your campaigns, most recent first:' });
  await answer.waitFor();
  expect(await answer.textContent()).toContain('Spring sale (completed');
  expect(await answer.getByRole('complementary', { name: 'Figures used' }).textContent()).toContain('Spring sale: sent 4, replied 1, failed 1');
  await app.screenshot('assistant-offline');
  expect(app.errors).toEqual([]);
});

it('tells a viewer the assistant is for marketing roles', { timeout: 60_000 }, async () => {
  const tenant = await stack.createTenant();
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');
  await freshPage();
  await app.signIn(viewer.email, viewer.password);
  await app.goto('/assistant');
  await page.getByText('Marketing roles only').waitFor();
  expect(app.errors).toEqual([]);
});
