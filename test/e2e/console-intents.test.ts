/**
 * The Intents page and the inbox's labels in real Chromium against the real API: a builder adds
 * intents with examples and imports more, sees the cross-validated accuracy, tries a sentence (top 3
 * intents), and reads the label counts; the inbox shows a labelled conversation's intent and
 * sentiment and filters by them. Screenshots in test-results/console/.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphSchema } from '../../core/graph/schema';
import { systemEm, tenantEm } from '../../db/orm';
import { createFlow, storeLabels } from '../../db/repos';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from './support/console';

const EMPTY_GRAPH = graphSchema.parse({ nodes: [{ id: 'start', type: 'start', data: {} }], edges: [], settings: { handoffKeywords: [] } });
let stack: Stack;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };
const labelled = { card: randomUUID(), other: randomUUID() };

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  tenant = await stack.createTenant();
  // Two conversations, labelled as the worker would.
  const flowId = (await createFlow(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, { name: 'Support', draft: EMPTY_GRAPH })).id;
  const em = systemEm(stack.orm);
  for (const [id, intent, sentiment] of [[labelled.card, 'card_arrival', 'negative'], [labelled.other, null, 'positive']] as const) {
    await em.getConnection().execute(`insert into conversations (id, tenant_id, flow_id, flow_version, channel, workflow_id) values (?, ?, ?, 1, 'api', ?)`, [id, tenant.tenantId, flowId, `conv:${id}`]);
    await storeLabels(em, tenant.tenantId, id, { intent, intentConfidence: 0.7, sentiment, sentimentScore: sentiment === 'negative' ? -0.5 : 0.4, labelledBy: 'offline', inputKey: 'm:open' });
  }
  const builder = await createConsoleUser(stack, tenant.apiKey, 'builder');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(builder.email, builder.password);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const eventually = { timeout: 15_000, interval: 100 };
const tile = (label: string) => page.locator('.sc-figure').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').first();
const rows = (name: string) => page.getByRole('table', { name }).locator('tbody tr').evaluateAll((trs) => trs.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent)));

it('manages intents, imports examples, tries a sentence and counts labels', { timeout: 120_000 }, async () => {
  await app.nav('Intents').click();
  await page.getByRole('heading', { name: 'Intents', level: 1 }).waitFor();
  await page.getByText('No intents yet').waitFor();

  await page.getByRole('button', { name: 'New intent' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Card Arrival');
  await page.getByLabel('Examples, one per line').fill('where is my card\nmy card has not arrived\nstill waiting for my card');
  await page.getByRole('button', { name: 'Save intent' }).click();
  // The API's message lands on the field it names.
  await page.getByText(/name must be lower-case/).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('card_arrival');
  await page.getByRole('button', { name: 'Save intent' }).click();
  await page.getByRole('list', { name: 'Intents' }).getByText('card_arrival').waitFor();

  await page.getByRole('button', { name: 'Import examples' }).click();
  await page.getByLabel('Examples', { exact: true }).fill('intent,text\nlost_card,I lost my card\nlost_card,my card was stolen\nlost_card,block my stolen card\nrefund,I want my money back\nrefund,how do I get a refund\nrefund,refund my order please');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('6 examples added, 2 new intents, 0 already there').waitFor();
  await expect.poll(() => page.getByRole('list', { name: 'Intents' }).locator('.pg-list-title').allTextContents(), eventually).toEqual(['card_arrival', 'lost_card', 'refund']);
  await expect.poll(() => tile('Examples').textContent(), eventually).toBe('9');
  await expect.poll(() => tile('Cross-validated accuracy').textContent(), eventually).toMatch(/^\d+(\.\d)?%$/);

  await page.getByLabel('Sentence').fill('someone stole my card, this is awful');
  await page.getByRole('button', { name: 'Classify' }).click();
  await expect.poll(() => rows('Top intents'), eventually).toHaveLength(3);
  expect((await rows('Top intents'))[0]![0]).toBe('lost_card');
  await page.getByLabel('Classification').getByText('negative').waitFor();

  await expect.poll(() => rows('Conversations per intent'), eventually).toEqual([
    ['card_arrival', '1'],
    ['unknown', '1'],
  ]);
  expect(await rows('Conversations per sentiment')).toEqual([
    ['positive', '1'],
    ['neutral', '0'],
    ['negative', '1'],
  ]);
  await app.screenshot('intents-01-page');
});

it('shows labels in the inbox and filters by intent and sentiment', { timeout: 60_000 }, async () => {
  await app.nav('Inbox').click();
  const item = (id: string) => page.locator(`[data-conversation-id="${id}"]`);
  await item(labelled.card).waitFor();
  expect(await item(labelled.card).locator('.badge').allTextContents()).toEqual(expect.arrayContaining(['card_arrival', 'negative']));
  await page.getByLabel('Intent', { exact: true }).selectOption('card_arrival');
  await expect.poll(() => page.locator('[data-conversation-id]').count(), eventually).toBe(1);
  await page.getByLabel('Intent', { exact: true }).selectOption('');
  await page.getByLabel('Sentiment', { exact: true }).selectOption('positive');
  await expect.poll(() => page.locator('[data-conversation-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation-id'))), eventually).toEqual([labelled.other]);
  await app.screenshot('intents-02-inbox');
});
