/**
 * A campaign variant's video in real Chromium: the wizard's content step shows the variant's script
 * video (avatar and script) and can switch it to none; the campaign page says it is rendered per
 * recipient, and the preview shows the script as one contact's render would say it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { presenterImage } from '../renders/media-fixtures';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { ConsoleApp, createConsoleUser } from './support/console';

let bench: ChannelBench;
let browser: Browser;
let campaignId: string;
const SCRIPT = 'Hello {{contact.firstName|friend}}, this Friday our chef cooks for you.';

beforeAll(async () => {
  await buildConsoleOnce();
  bench = await startChannelBench();
  const req = (method: string, path: string, body?: unknown) => bench.stack.request(method, path, { apiKey: bench.apiKey, body });
  const avatar = await req('POST', '/v1/avatars', { name: 'Chef Ana', image: (await presenterImage()).toString('base64') });
  expect(avatar.status).toBe(201);
  const created = await req('POST', '/v1/campaigns', { name: 'Friday video', channels: ['sms'] });
  expect(created.status).toBe(201);
  campaignId = created.body.id;
  const variants = [{ id: 'A', content: { sms: { text: 'Friday special!' }, video: { script: SCRIPT, avatarId: avatar.body.id } }, generatedBy: 'edited', warnings: [] }];
  expect((await req('PATCH', `/v1/campaigns/${campaignId}`, { variants })).status).toBe(200);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

it('shows and edits a variant’s video in the wizard and on the campaign page', { timeout: 120_000 }, async () => {
  const user = await createConsoleUser(bench.stack, bench.apiKey, 'marketer');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const app = new ConsoleApp(page, bench.stack.url);
  await app.signIn(user.email, user.password);

  await app.goto(`/campaigns/${campaignId}`);
  const video = page.getByRole('region', { name: 'Video' }).first();
  await video.getByText(SCRIPT).waitFor();
  await video.getByText('Rendered for each recipient before their message is sent').waitFor();
  await app.screenshot('campaigns-video-page');

  await app.goto(`/campaigns/${campaignId}/edit?step=content`);
  const script = page.getByLabel('Video script (variant A)');
  await script.waitFor();
  expect(await script.inputValue()).toBe(SCRIPT);
  await page.getByLabel('Avatar (variant A)').locator('option', { hasText: 'Chef Ana' }).waitFor({ state: 'attached' });
  expect(await page.getByLabel('Video (variant A)').inputValue()).toBe('script');
  await page.getByLabel('Video (variant A)').selectOption('none');
  await script.waitFor({ state: 'detached' });
});
