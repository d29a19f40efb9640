/**
 * A media download run on the console's run page, in real Chromium: a Messenger image goes
 * through the real webhook and the background `fetchInboundMedia` workflow; the runs list filters
 * by "Media download", and the run page (whose id is longer than Fastify's default parameter
 * limit) shows its status, type, the "No graph" panel and the steps it ran. Screenshot in test-results/console/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messengerAttachment } from '../fakes/meta-webhooks';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { ConsoleApp, createConsoleUser } from './support/console';
import { PHOTO } from './support/media-fixtures';
import { RunsPageObject } from './support/pages';

const PAGE_ID = '1477392262503555';
const SECRET = 'media-run-secret';
let bench: ChannelBench;
let browser: Browser;
let media: Server;

beforeAll(async () => {
  await buildConsoleOnce();
  bench = await startChannelBench();
  browser = await launchBrowser();
  media = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PHOTO));
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => media?.close(r));
  await bench?.close();
});

it('the run page shows a media download run with its steps', { timeout: 120_000 }, async () => {
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'page-token' });
  const channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'page-token', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID, typingIndicators: false } });
  const url = `http://127.0.0.1:${(media.address() as AddressInfo).port}/photo.png`;
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerAttachment(PAGE_ID, `${Date.now()}555`, url, 'image'));
  let workflowId = '';
  await waitUntil(async () => {
    const runs = await bench.stack.request('GET', '/v1/runs?type=fetchInboundMedia&status=completed', { apiKey: bench.apiKey });
    workflowId = runs.body.runs?.[0]?.workflowId ?? '';
    return !!workflowId;
  }, 30_000, 'the download run completed');
  expect(workflowId.length).toBeGreaterThan(100);

  const admin = await createConsoleUser(bench.stack, bench.apiKey, 'admin');
  const app = new ConsoleApp(await browser.newPage({ viewport: { width: 1280, height: 800 } }), bench.stack.url);
  await app.signIn(admin.email, admin.password);
  const runs = new RunsPageObject(app);
  await runs.open();
  await app.page.getByRole('combobox').filter({ hasText: 'Any type' }).selectOption({ label: 'Media download' });
  await runs.openRun(workflowId);
  const eventually = { timeout: 15_000, interval: 100 };
  await expect.poll(() => runs.status(), eventually).toBe('completed');
  await app.page.getByText('Media download', { exact: true }).waitFor();
  await app.page.getByText('No graph').waitFor();
  // The workflow's own steps, not one "node" per activity sequence number.
  const steps = app.page.getByRole('list', { name: 'Executed nodes in order' }).locator('[data-node-id]');
  await expect.poll(() => steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id'))), eventually).toEqual(['workflow']);
  await steps.first().click();
  const details = app.page.getByLabel(/^Node /);
  await expect.poll(() => details.textContent(), eventually).toMatch(/downloadInboundMedia[\s\S]*markInboundMedia/);
  await app.screenshot('media-run');
  expect(app.errors).toEqual([]);
});
