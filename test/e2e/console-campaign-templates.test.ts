/**
 * A WhatsApp campaign's template status in real Chromium: the marketer's review step and the
 * approver's campaign page show Meta's review status of the template the content names; approving
 * while it is PENDING is refused with the template named, and once Meta approves it the approval goes through.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { campaignsOf } from '../campaigns/support';
import { ConsoleApp, createConsoleUser } from './support/console';

const PHONE_ID = '106540352242988';
let bench: ChannelBench;
let browser: Browser;
let whatsapp: { id: string };
let campaignId: string;

async function signedInPage(role: 'marketer' | 'approver') {
  const user = await createConsoleUser(bench.stack, bench.apiKey, role);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const app = new ConsoleApp(page, bench.stack.url);
  await app.signIn(user.email, user.password);
  return { page, app };
}

const templateRegion = (page: Page) => page.getByRole('region', { name: 'WhatsApp template approval' });

beforeAll(async () => {
  await buildConsoleOnce();
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-console' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-console', appSecret: 'wa-secret', verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } });
  await bench.rows(`insert into whatsapp_templates (tenant_id, channel_id, name, language, category, body, parameter_count, status) values ($1, $2, 'friday_menu', 'en', 'MARKETING', 'Hi {{1}}, Friday menu', 1, 'PENDING')`, [bench.tenantId, whatsapp.id]);
  // Through the API, as the wizard makes it (the row and its run)
  const created = await bench.stack.request('POST', '/v1/campaigns', { apiKey: bench.apiKey, body: { name: 'Friday on WhatsApp', channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id } } });
  expect(created.status).toBe(201);
  campaignId = created.body.id;
  const variants = [{ id: 'A', content: { whatsapp: { text: 'Hi {{contact.firstName|there}}, Friday menu', template: { name: 'friday_menu', language: 'en', parameters: ['{{contact.firstName|there}}'] } } }, generatedBy: 'edited', warnings: [] }];
  expect((await bench.stack.request('PATCH', `/v1/campaigns/${campaignId}`, { apiKey: bench.apiKey, body: { variants } })).status).toBe(200);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

it('shows the template status at review and refuses approval until Meta approves it', { timeout: 120_000 }, async () => {
  const marketer = await signedInPage('marketer');
  await marketer.app.goto(`/campaigns/${campaignId}/edit?step=review`);
  const atReview = templateRegion(marketer.page);
  await atReview.getByText('friday_menu (en)').waitFor();
  await atReview.getByText('PENDING', { exact: true }).waitFor();
  await atReview.getByText('The campaign cannot be approved until Meta approves this template.').waitFor();
  await marketer.app.screenshot('campaigns-template-review');
  expect((await campaignsOf(bench).campaignUpdate(bench.tenantId, campaignId, 'submit', { by: 'marketer' })).status).toBe('awaiting_approval');

  const approver = await signedInPage('approver');
  await approver.app.goto(`/campaigns/${campaignId}`);
  await templateRegion(approver.page).getByText('PENDING', { exact: true }).waitFor();
  await approver.page.getByRole('button', { name: 'Approve Friday on WhatsApp' }).click();
  await approver.app.toast(/WhatsApp template friday_menu \(en\) is PENDING/).waitFor();
  expect((await campaignsOf(bench).campaignProgress(bench.tenantId, campaignId))!.status).toBe('awaiting_approval');

  await bench.rows(`update whatsapp_templates set status = 'APPROVED' where channel_id = $1 and name = 'friday_menu'`, [whatsapp.id]);
  await approver.page.reload();
  await templateRegion(approver.page).getByText('APPROVED', { exact: true }).waitFor();
  expect(await templateRegion(approver.page).getByText('cannot be approved').count()).toBe(0);
  await approver.page.getByRole('button', { name: 'Approve Friday on WhatsApp' }).click();
  await approver.app.toast('Friday on WhatsApp approved').waitFor();
  await expect.poll(async () => (await campaignsOf(bench).campaignProgress(bench.tenantId, campaignId))!.status, { timeout: 20_000 }).not.toBe('awaiting_approval');
  expect(marketer.app.errors.filter((e) => !/400|Bad Request/.test(e))).toEqual([]);
});
