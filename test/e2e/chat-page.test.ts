/**
 * The /chat page in real Chromium: loads the tenant's flows with the key typed into it,
 * starts a session, chats over the WebSocket (model answer streamed, then stored), and shows an
 * agent's message. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { launchBrowser } from '../support/browser';
import { receptionFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeOpenAI;
let browser: Browser;

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await fake?.close();
});

const bubble = (page: Page, cls: string, text: string) => page.locator(`#log .msg.${cls}`, { hasText: text });

it('chats with a published flow and shows the agent', async () => {
  const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Front desk', graph: receptionFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });

  const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The key is typed into the page, never taken from the URL nor kept in storage (an old stored one is removed).
  await page.goto(`${stack.url}/chat#key=${apiKey}`);
  await page.evaluate((key) => localStorage.setItem('sb-key', key), apiKey);
  await page.reload();
  expect(await page.getByLabel('API key').inputValue()).toBe('');
  await page.getByLabel('API key').fill(apiKey);
  await page.getByLabel('API key').press('Tab');
  await expect.poll(() => page.locator('#flow option').allTextContents()).toEqual(['Front desk (v1)']);
  await page.getByRole('button', { name: 'Start' }).click();

  const input = page.getByLabel('Message');
  await expect.poll(() => input.isEnabled()).toBe(true);
  await input.fill('hello');
  await input.press('Enter');
  await bubble(page, 'bot', 'Hello! What is your name?').waitFor();
  await input.fill('Ada');
  await input.press('Enter');
  await bubble(page, 'bot', 'How can I help you today?').waitFor();

  fake.enqueue({ content: 'We are open every weekday from nine to five.', chunkSize: 4, chunkDelayMs: 20 });
  await input.fill('When are you open?');
  await input.press('Enter');
  await bubble(page, 'bot', 'We are open every weekday from nine to five.').waitFor();

  const conversations = await stack.request('GET', '/v1/conversations', { apiKey });
  const conversationId = conversations.body.conversations[0].id;
  await stack.request('POST', `/v1/conversations/${conversationId}/agent-messages`, { apiKey, body: { text: 'Maria from the front desk here.' } });
  await bubble(page, 'agent', 'Maria from the front desk here.').waitFor();

  // Every message shows once, in order; the streamed draft was replaced by the stored answer.
  const texts = await page.locator('#log .msg').evaluateAll((els) => els.map((e) => (e.firstChild?.textContent ?? '').trim()));
  expect(texts).toEqual([
    'hello',
    'Hello! What is your name?',
    'Ada',
    'Nice to meet you, Ada!',
    'How can I help you today?',
    'When are you open?',
    'We are open every weekday from nine to five.',
    'Maria from the front desk here.',
  ]);
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
  await page.screenshot({ path: 'test-results/chat-page.png', fullPage: true });
});
