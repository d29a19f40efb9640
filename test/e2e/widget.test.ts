/**
 * The embeddable widget in real Chromium, on a plain page of another origin that embeds the
 * one-line script (through a proxy that can cut the network): chat with a flow, lose the connection
 * twice while the visitor and an agent keep writing, and check every message shows exactly once and
 * in order; agent messages and typing; an attachment; a reload resumes the conversation; Esc and
 * focus; a full-screen panel at 375×667. Screenshots go to test-results/widget/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { liveChannel } from '../../events/live';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { launchBrowser } from '../support/browser';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { createWebchatChannel, PNG_BYTES } from '../widget/support';
import { startFlakyProxy, type FlakyProxy } from '../widget/proxy';

const OUT = 'test-results/widget';
let stack: Stack;
let fake: FakeOpenAI;
let browser: Browser;
let proxy: FlakyProxy;
let site: Server;
let siteUrl: string;
let redis: Redis;

/** A page that fights back: its rules would hide or restyle every div, button and textarea it could reach. */
const hostPage = (apiUrl: string, channelId: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbor Dental</title>
<style>
  body { font: 18px Georgia, serif; margin: 40px; background: #fdfbf7; }
  div, button, textarea, form { display: none !important; }
  * { color: #f0f !important; letter-spacing: 4px !important; }
</style></head>
<body><h1>Harbor Dental</h1><p>Gentle dentistry by the harbour.</p>
<script src="${apiUrl}/widget.js" data-channel="${channelId}" async></script>
</body></html>`;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  proxy = await startFlakyProxy(stack.url);
  redis = new Redis(sharedServers().redisUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r(undefined)));
  await proxy?.close();
  await redis?.quit();
  await stack?.close();
  await fake?.close();
});

async function serveSite(channelId: string) {
  site = createServer((req, res) => {
    if (req.url === '/avatar.svg') return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(AVATAR);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(proxy.url, channelId));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}

const AVATAR = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#f4c542"/><text x="16" y="22" font-size="16" text-anchor="middle" font-family="sans-serif">HD</text></svg>';

const widget = (page: Page, selector: string) => page.locator(`switchboard-widget ${selector}`);
const bubble = (page: Page, cls: string, text: string) => widget(page, `.msg.${cls}`).filter({ hasText: text });

/** Stored messages as shown, in order (the agent's name label left out). */
const shown = (page: Page) =>
  widget(page, '.msg[data-id]').evaluateAll((els) =>
    els.map((e) => Array.from(e.childNodes).filter((n) => !(n instanceof HTMLElement && n.classList.contains('who'))).map((n) => n.textContent).join('')),
  );

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

it('chats through connection losses without losing or repeating a message', async () => {
  const { apiKey, tenantId } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  // The page's origin is only known once it listens; the channel is created first, then updated.
  const { channelId } = await createWebchatChannel(stack, apiKey, receptionFlow, {});
  await serveSite(channelId);
  const patched = await stack.request('PATCH', `/v1/channels/${channelId}`, {
    apiKey,
    body: {
      settings: {
        brandColor: '#0a7d5a', position: 'left', greeting: 'Hi! Ask us anything.', title: 'Harbor Dental',
        avatarUrl: `${siteUrl}/avatar.svg`, language: 'en', allowedOrigins: [siteUrl], fileUpload: true,
      },
    },
  });
  expect(patched.status).toBe(200);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl);

  const launcher = page.getByRole('button', { name: 'Open chat' });
  await launcher.click();
  const dialog = page.getByRole('dialog', { name: 'Harbor Dental' });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  // Open, the launcher toggles: its label says what a press does now.
  expect(await widget(page, '.launcher').getAttribute('aria-label')).toBe('Close chat');
  const box = await widget(page, '.launcher').boundingBox();
  expect(box!.x).toBeLessThan(100); // position: left
  expect(await widget(page, '.launcher').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(10, 125, 90)');
  expect(await page.evaluate(() => document.querySelector('switchboard-widget')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe('Message');
  await bubble(page, 'greeting', 'Hi! Ask us anything.').waitFor();

  await send(page, 'hello');
  await bubble(page, 'bot', 'Hello! What is your name?').waitFor();
  const conversationId = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations[0].id;

  // The visitor's typing reaches the conversation's live channel (where the inbox listens).
  const listener = redis.duplicate();
  const typed: any[] = [];
  listener.on('message', (_c, raw) => typed.push(JSON.parse(raw)));
  await listener.subscribe(liveChannel(tenantId, conversationId));
  await page.getByRole('textbox', { name: 'Message' }).pressSequentially('Ad');
  await expect.poll(() => typed.some((f) => f.type === 'typing' && f.author === 'contact' && f.typing === true)).toBe(true);
  await page.getByRole('textbox', { name: 'Message' }).fill('Ada');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await bubble(page, 'bot', 'How can I help you today?').waitFor();
  await expect.poll(() => typed.some((f) => f.type === 'typing' && f.author === 'contact' && f.typing === false)).toBe(true);
  await listener.quit();

  // First outage: the visitor writes while offline; it goes out once the socket is back.
  proxy.drop();
  await widget(page, '.status').filter({ hasText: 'Reconnecting' }).waitFor();
  fake.enqueue({ content: 'We are open every weekday from nine to five.', chunkSize: 4, chunkDelayMs: 20 });
  await send(page, 'When are you open?');
  await bubble(page, 'pending', 'When are you open?').waitFor();
  await new Promise((r) => setTimeout(r, 1_500));
  proxy.restore();
  await bubble(page, 'bot', 'We are open every weekday from nine to five.').waitFor();
  await widget(page, '.status').waitFor({ state: 'hidden' });

  // Second outage: an agent takes over and writes while the visitor is away.
  proxy.drop();
  await widget(page, '.status').filter({ hasText: 'Reconnecting' }).waitFor();
  await stack.request('POST', `/v1/conversations/${conversationId}/takeover`, { apiKey, body: { agent: 'Maria' } });
  const agentReply = await stack.request('POST', `/v1/conversations/${conversationId}/agent-messages`, { apiKey, body: { text: 'Maria from the front desk here.', agent: 'Maria' } });
  expect(agentReply.status).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 1_000));
  proxy.restore();
  const agentBubble = bubble(page, 'agent', 'Maria from the front desk here.');
  await agentBubble.waitFor();
  expect(await agentBubble.locator('.who').textContent()).toBeTruthy();
  expect(await agentBubble.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(await bubble(page, 'bot', 'How can I help').evaluate((e) => getComputedStyle(e).backgroundColor));

  // Agent typing through the inbox route (named after whoever types: here the API key's label),
  // then stopped, then typing again until a live agent message ends it.
  const typing = (on: boolean) => stack.request('POST', `/v1/conversations/${conversationId}/typing`, { apiKey, body: { typing: on } });
  expect((await typing(true)).status).toBe(204);
  await widget(page, '.typing').filter({ hasText: /\S+ is typing…/ }).waitFor();
  await typing(false);
  await expect.poll(() => widget(page, '.typing').textContent()).toBe('');
  await typing(true);
  await widget(page, '.typing').filter({ hasText: 'is typing…' }).waitFor();
  await page.screenshot({ path: `${OUT}/agent-typing.png` });
  await stack.request('POST', `/v1/conversations/${conversationId}/agent-messages`, { apiKey, body: { text: 'Anything else I can help with?', agent: 'Maria' } });
  await bubble(page, 'agent', 'Anything else I can help with?').waitFor();
  await expect.poll(() => widget(page, '.typing').textContent()).toBe('');

  // An attachment: uploaded with the visitor token, its link carried by the message.
  await widget(page, 'input[type=file]').setInputFiles({ name: 'x-ray.png', mimeType: 'image/png', buffer: PNG_BYTES });
  const attachment = bubble(page, 'contact[data-id]', 'x-ray.png');
  await attachment.waitFor();
  // The page's letter-spacing rule (!important, on every element) does not reach inside.
  expect(await attachment.evaluate((e) => getComputedStyle(e).letterSpacing)).toBe('normal');
  expect(await widget(page, 'header img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const href = await attachment.locator('a').getAttribute('href');
  expect(href).toContain('/v1/widget/files/');
  expect((await fetch(href!)).status).toBe(200);

  const expected = [
    'hello',
    'Hello! What is your name?',
    'Ada',
    'Nice to meet you, Ada!',
    'How can I help you today?',
    'When are you open?',
    'We are open every weekday from nine to five.',
    'Maria from the front desk here.',
    'Anything else I can help with?',
    '📎 x-ray.png',
  ];
  await expect.poll(() => shown(page)).toEqual(expected);
  expect(await widget(page, '.msg.pending').count()).toBe(0);
  await page.screenshot({ path: `${OUT}/desktop.png` });

  // A reload resumes the same conversation (the visitor id is in localStorage), each message once;
  // the panel was open, so it opens again.
  await page.reload();
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await expect.poll(() => shown(page)).toEqual(expected);
  const conversations = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations;
  expect(conversations).toHaveLength(1);

  // Esc closes the dialog and gives focus back to the launcher.
  await page.getByRole('textbox', { name: 'Message' }).press('Escape');
  await expect.poll(() => dialog.isVisible()).toBe(false);
  expect(await page.evaluate(() => document.querySelector('switchboard-widget')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe('Open chat');
  expect(await page.getByRole('button', { name: 'Open chat' }).getAttribute('aria-expanded')).toBe('false');

  expect(errors).toEqual([]);
  await context.close();

  // Mobile: the panel takes the whole screen.
  const mobile = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const phone = await mobile.newPage();
  await phone.goto(siteUrl);
  await phone.getByRole('button', { name: 'Open chat' }).click();
  await send(phone, 'hello');
  await bubble(phone, 'bot', 'Hello! What is your name?').waitFor();
  expect(await phone.getByRole('dialog', { name: 'Harbor Dental' }).boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });
  await phone.screenshot({ path: `${OUT}/mobile-375x667.png` });
  await mobile.close();
});
