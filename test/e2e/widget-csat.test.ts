/**
 * CSAT end to end in real Chromium: a web-chat visitor rates with the widget's stars (and a thumbs
 * question with its buttons), the rating is stored in csat_responses with the conversation's flow
 * and version, a `csat.submitted` event is queued once, and the console's conversation
 * view shows the rating. Screenshots in test-results/widget/ and test-results/console/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEventsQueue } from '../../events/queue';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { createWebchatChannel } from '../widget/support';
import { ConsoleApp, createConsoleUser } from './support/console';
import { InboxPageObject } from './support/pages';

const OUT = 'test-results/widget';
let stack: Stack;
let browser: Browser;
let site: Server;

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const csatFlow = (scale: 'five' | 'thumbs') => ({
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'rate', type: 'csat', data: { question: 'How did we do today?', scale, followUp: 'Anything we could do better?' } },
    { id: 'thanks', type: 'sendMessage', data: { text: 'Thank you for the {{csat_score}}!' } },
    { id: 'sorry', type: 'sendMessage', data: { text: 'Sorry to hear that.' } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [edge('start', 'rate'), edge('rate', 'thanks', 'satisfied'), edge('rate', 'sorry', 'unsatisfied'), edge('rate', 'end', 'noAnswer'), edge('thanks', 'end'), edge('sorry', 'end')],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
});

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await buildConsoleOnce();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r(undefined)));
  await stack?.close();
});

const widget = (page: Page, selector: string) => page.locator(`switchboard-widget ${selector}`);
const eventually = { timeout: 20_000, interval: 100 };

async function embed(apiKey: string, scale: 'five' | 'thumbs') {
  const { channelId, flowId } = await createWebchatChannel(stack, apiKey, csatFlow(scale), {});
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Dental</title></head>
<body><h1>Harbor Dental</h1><script src="${stack.url}/widget.js" data-channel="${channelId}" async></script></body></html>`),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await stack.request('PATCH', `/v1/channels/${channelId}`, { apiKey, body: { settings: { title: 'Harbor Dental', language: 'en', allowedOrigins: [siteUrl] } } });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(siteUrl);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('hello');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await widget(page, '.msg.bot').filter({ hasText: 'How did we do today?' }).waitFor();
  return { page, server, flowId };
}

it('rates with the widget’s stars, stores it with its comment, announces it and shows it in the inbox', { timeout: 180_000 }, async () => {
  const { apiKey, tenantId } = await stack.createTenant();
  const { page, server, flowId } = await embed(apiKey, 'five');
  site = server;
  const stars = widget(page, '.choices.stars button');
  expect(await stars.count()).toBe(5);
  await page.screenshot({ path: `${OUT}/csat-stars.png` });
  await widget(page, '.choices.stars').getByRole('button', { name: '4 ⭐ Good' }).click();
  await widget(page, '.msg.bot').filter({ hasText: 'Anything we could do better?' }).waitFor(eventually);
  // Answered: the stars are gone once the next message is shown.
  expect(await widget(page, '.choices:not([hidden])').count()).toBe(0);
  await page.getByRole('textbox', { name: 'Message' }).fill('Open on Saturdays');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await widget(page, '.msg.bot').filter({ hasText: 'Thank you for the 4!' }).waitFor(eventually);

  const conversationId = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations[0].id as string;
  const conn = stack.orm.em.getConnection();
  const rows = await conn.execute(`select flow_id, flow_version, channel, scale, score, answer, comment from csat_responses where tenant_id = ? and conversation_id = ?`, [tenantId, conversationId]);
  expect(rows).toEqual([{ flow_id: flowId, flow_version: 1, channel: 'webchat', scale: 'five', score: 4, answer: '4 ⭐ Good', comment: 'Open on Saturdays' }]);
  // The worker queued csat.submitted once (the event sink, not run here, stores and fans it out).
  const redis = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: null });
  const queue = createEventsQueue(redis, stack.config.EVENTS_QUEUE_NAME);
  const submitted = async () => (await queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.name === 'csat.submitted' && j.data.tenantId === tenantId);
  await expect.poll(async () => (await submitted()).map((j) => [j.data.data.score, j.data.data.comment, j.data.data.satisfied]), eventually).toEqual([[4, 'Open on Saturdays', true]]);
  await queue.close();
  redis.disconnect();
  const detail = await stack.request('GET', `/v1/conversations/${conversationId}`, { apiKey });
  expect(detail.body.csat).toMatchObject({ score: 4, scale: 'five', comment: 'Open on Saturdays' });

  const agent = await createConsoleUser(stack, apiKey, 'agent');
  const consolePage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const app = new ConsoleApp(consolePage, stack.url);
  await app.signIn(agent.email, agent.password);
  await new InboxPageObject(app).open(conversationId);
  const rating = consolePage.getByTestId('csat-rating');
  await expect.poll(() => rating.textContent(), eventually).toBe('· CSAT ★★★★☆');
  expect(await rating.getAttribute('title')).toContain('“Open on Saturdays”');
  await app.screenshot('inbox-csat');
  expect(app.errors).toEqual([]);
});

it('asks a thumbs question with two buttons; a thumbs down takes the unsatisfied path', { timeout: 120_000 }, async () => {
  const { apiKey, tenantId } = await stack.createTenant();
  const { page, server } = await embed(apiKey, 'thumbs');
  const buttons = widget(page, '.choices.thumbs button');
  expect(await buttons.allTextContents()).toEqual(['👍 Yes', '👎 No']);
  await buttons.filter({ hasText: 'No' }).click();
  await widget(page, '.msg.contact').filter({ hasText: '👎 No' }).waitFor(eventually);
  await page.getByRole('textbox', { name: 'Message' }).fill('Too slow');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await widget(page, '.msg.bot').filter({ hasText: 'Sorry to hear that.' }).waitFor(eventually);
  const rows = await stack.orm.em.getConnection().execute(`select scale, score, comment from csat_responses where tenant_id = ?`, [tenantId]);
  expect(rows).toEqual([{ scale: 'thumbs', score: 1, comment: 'Too slow' }]);
  await new Promise((r) => server.close(r));
});
