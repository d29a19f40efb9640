/**
 * The Content page in real Chromium against the real API and the fake Graph API: a marketer
 * creates a brand voice, tries it (no model configured: checked against the voice, not
 * rewritten), submits a WhatsApp template and sees Meta's approval after a refresh; a viewer reads
 * the voice but cannot change it. Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { ConsoleApp, createConsoleUser } from './support/console';

const WABA = '102290129340777';
let bench: ChannelBench;
let browser: Browser;
let page: Page;
let app: ConsoleApp;

beforeAll(async () => {
  await buildConsoleOnce();
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: '106540352242777', accessToken: 'EAAG-console' });
  bench.graph.addBusinessAccount(WABA, 'EAAG-console');
  await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-console', appSecret: 's', verifyToken: 'v' }, settings: { phoneNumberId: '106540352242777', businessAccountId: WABA } });
  browser = await launchBrowser();
  const marketer = await createConsoleUser(bench.stack, bench.apiKey, 'marketer');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, bench.stack.url);
  await app.signIn(marketer.email, marketer.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

const eventually = { timeout: 15_000, interval: 100 };

describe('the Content page', () => {
  it('creates a brand voice and tries it', { timeout: 120_000 }, async () => {
    await app.nav('Content').click();
    await page.getByRole('heading', { name: 'Content', level: 1 }).waitFor();
    const editor = page.getByRole('region', { name: 'New brand voice' });
    await editor.getByLabel('Name', { exact: true }).fill('Trattoria');
    await editor.getByLabel('Tone').fill('warm, homely');
    await editor.getByLabel('Words to avoid').fill('cheap, deal');
    await editor.getByLabel('Emoji').selectOption('none');
    await editor.getByRole('button', { name: 'Create voice' }).click();

    const list = page.getByRole('table', { name: 'Brand voices' });
    await list.getByRole('row', { name: /Trattoria.*default/ }).waitFor();
    expect((await bench.stack.request('GET', '/v1/brand-voices', { apiKey: bench.apiKey })).body.items[0]).toMatchObject({ name: 'Trattoria', avoidWords: ['cheap', 'deal'], emojiPolicy: 'none', isDefault: true });

    const tryIt = page.getByRole('region', { name: 'Try it' });
    await tryIt.getByLabel('Message').fill('Cheap pasta tonight 🍝');
    await tryIt.getByRole('button', { name: 'Try the voice' }).click();
    await expect.poll(() => page.getByTestId('voice-sample').textContent(), eventually).toBe('Cheap pasta tonight');
    const warnings = page.getByRole('list', { name: 'Warnings' });
    await expect.poll(() => warnings.textContent(), eventually).toMatch(/no language model.*avoided word "cheap".*1 emoji/);
    await app.screenshot('content-01-brand-voice');
  });

  it('submits a WhatsApp template, names a refused field, and shows Meta’s approval after a refresh', { timeout: 120_000 }, async () => {
    await page.getByRole('tab', { name: 'WhatsApp templates' }).click();
    await page.getByRole('button', { name: 'Submit template' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit a WhatsApp template' });
    await dialog.getByLabel('Name', { exact: true }).fill('tasting_menu');
    await dialog.getByLabel('Body').fill('Hi {{1}}! The tasting menu is back on {{3}}.');
    await dialog.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => dialog.getByLabel('Body').getAttribute('aria-invalid'), eventually).toBe('true');

    await dialog.getByLabel('Body').fill('Hi {{1}}! The tasting menu is back on {{2}}.');
    await dialog.getByLabel(/Sample values/).fill('Ana\nFriday');
    await dialog.getByRole('button', { name: 'Submit for review' }).click();
    const table = page.getByRole('table', { name: /Templates of/ });
    const row = table.getByRole('row', { name: /tasting_menu/ });
    await expect.poll(() => row.textContent(), eventually).toContain('PENDING');

    const [remote] = bench.graph.templatesOf(WABA);
    bench.graph.reviewTemplate(remote!.id, 'APPROVED');
    await page.getByRole('button', { name: 'Refresh from Meta' }).click();
    await expect.poll(() => row.textContent(), eventually).toContain('APPROVED');
    await app.screenshot('content-02-whatsapp-templates');
  });

  it('lets a viewer read a voice but not change it', { timeout: 120_000 }, async () => {
    const viewer = await createConsoleUser(bench.stack, bench.apiKey, 'viewer');
    const viewerPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const viewerApp = new ConsoleApp(viewerPage, bench.stack.url);
    await viewerApp.signIn(viewer.email, viewer.password);
    await viewerApp.nav('Content').click();
    const editor = viewerPage.getByRole('region', { name: 'Trattoria' });
    await expect.poll(() => editor.getByLabel('Name', { exact: true }).inputValue(), eventually).toBe('Trattoria');
    expect(await editor.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await viewerPage.getByRole('button', { name: 'New voice' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Save voice' }).count()).toBe(0);
    await viewerPage.close();
  });
});
