/**
 * The Campaigns pages in real Chromium against the real API, worker, Temporal and a fake Twilio:
 * a marketer writes a campaign in the wizard (content with the SMS segment counter and a preview
 * for a real contact, the audience's live count, quiet hours and a send rate), submits it; an
 * approver sends it back from the approval queue with a comment, the marketer sees it, resubmits;
 * the approver approves and the marketer watches it send live, pauses it mid-send (nothing more
 * goes out), resumes it, and reads the results chart and the per-recipient CSV: every consenting
 * contact got exactly one SMS. A second campaign is cancelled from its page while scheduled.
 * Screenshots in test-results/console/.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { optIn, optOut } from '../../db/repos';
import { Contact } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { ConsoleApp, createConsoleUser } from './support/console';

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const NAMES = ['Ada', 'Grace', 'Linus', 'Barbara', 'Edsger', 'Alan'];
const phone = (i: number) => `+1666${String(process.pid).slice(-3)}${String(i).padStart(4, '0')}`;
const eventually = { timeout: 20_000, interval: 200 };

let bench: ChannelBench;
let twilio: FakeTwilio;
let browser: Browser;
let marketer: { page: Page; app: ConsoleApp };
let approver: { page: Page; app: ConsoleApp };
let campaignId: string;

async function signedInPage(role: 'marketer' | 'approver') {
  const user = await createConsoleUser(bench.stack, bench.apiKey, role);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const app = new ConsoleApp(page, bench.stack.url);
  await app.signIn(user.email, user.password);
  return { page, app };
}

beforeAll(async () => {
  await buildConsoleOnce();
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench();
  await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: '+15005550006', apiBaseUrl: twilio.url } });
  const em = tenantEm(bench.stack.orm, bench.tenantId);
  const contacts = [...NAMES, 'Opted Out'].map((name, i) => em.create(Contact, { tenant: bench.tenantId, channel: 'api', externalId: null, firstName: name.split(' ')[0], name, phone: phone(i), attributes: {} } as Contact));
  await em.flush();
  for (const c of contacts.slice(0, NAMES.length)) await optIn(em, c.id, 'sms', { method: 'import' });
  await optOut(em, contacts.at(-1)!.id, 'sms', { method: 'keyword' });
  browser = await launchBrowser();
  marketer = await signedInPage('marketer');
  approver = await signedInPage('approver');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bench?.close();
  await twilio?.close();
});

it('writes a campaign in the wizard and submits it for approval', { timeout: 120_000 }, async () => {
  const { page, app } = marketer;
  await app.nav('Campaigns').click();
  await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'New campaign' }).click();

  const brief = page.getByRole('form', { name: 'Brief' });
  await brief.getByLabel('Campaign name').fill('Tasting menu');
  await brief.getByLabel('Goal').fill('Fill the Friday tasting menu');
  await brief.getByLabel('Offer').fill('Five courses for 45 €');
  expect(await brief.getByRole('checkbox', { name: 'SMS' }).isChecked()).toBe(true);
  await app.screenshot('campaigns-01-brief');
  await brief.getByRole('button', { name: 'Write it myself' }).click();
  await page.waitForURL(/#\/campaigns\/[0-9a-f-]{36}\/edit\?step=content$/);
  campaignId = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];

  // The counter follows the text: one emoji makes the whole message UCS-2.
  const sms = page.getByLabel('SMS text (variant A)');
  await sms.fill('Friday: five courses 🍷 for 45. Reply STOP to opt out');
  await page.getByText(/UCS-2/).first().waitFor();
  await sms.fill('Hi {{contact.firstName|there}}, the tasting menu is back on Friday. Reply STOP to opt out');
  await page.getByText(/GSM-7/).first().waitFor();
  await page.getByText(/· 1 segment$/).first().waitFor();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL(/step=audience$/);

  const size = page.getByRole('region', { name: 'Audience size' });
  await expect.poll(async () => (await size.getByRole('definition').allTextContents()).join(' '), eventually).toBe(`${NAMES.length + 1} ${NAMES.length}`);
  await app.screenshot('campaigns-02-audience');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.waitForURL(/step=content$/);

  // The preview as a real contact: their name filled in.
  const preview = page.getByRole('complementary', { name: 'Preview, variant A' });
  await preview.getByLabel('Find a contact').fill('Ada');
  await expect.poll(() => preview.getByLabel('Preview as').locator('option').allTextContents(), eventually).toContain('Ada');
  await preview.getByLabel('Preview as').selectOption({ label: 'Ada' });
  await preview.getByText('Hi Ada, the tasting menu is back on Friday. Reply STOP to opt out').waitFor();
  await app.screenshot('campaigns-03-content');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL(/step=schedule$/);

  await page.getByRole('checkbox', { name: /Hold messages during quiet hours/ }).check();
  await page.getByLabel('Quiet from').fill('23:59');
  await page.getByLabel('Quiet until').fill('00:01');
  await page.getByLabel('SMS messages per second').fill('1');
  await app.screenshot('campaigns-04-schedule');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL(/step=review$/);
  const settings = page.getByRole('definition');
  await expect.poll(() => settings.allTextContents(), eventually).toEqual(expect.arrayContaining(['23:59–00:01, recipient\'s time', 'SMS 1/s', 'All contacts', 'On approval']));
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.waitForURL(new RegExp(`#/campaigns/${campaignId}$`));
  await page.getByRole('heading', { name: /Tasting menu/ }).getByText('Awaiting approval').waitFor();
  await app.screenshot('campaigns-05-submitted');
  expect(app.errors).toEqual([]);
});

it('is sent back with a comment, resubmitted, approved, and sends live: pause holds it, resume finishes it, each contact once', { timeout: 180_000 }, async () => {
  const { page: desk, app: deskApp } = approver;
  await deskApp.nav('Campaigns').click();
  await desk.getByRole('tab', { name: 'Approvals' }).click();
  const item = desk.getByRole('region', { name: 'Tasting menu' });
  await item.getByText('Hi {{contact.firstName|there}}, the tasting menu is back on Friday. Reply STOP to opt out').waitFor();
  await deskApp.screenshot('campaigns-06-approval-queue');
  await item.getByRole('button', { name: 'Request changes to Tasting menu' }).click();
  const dialog = desk.getByRole('dialog', { name: 'Request changes to Tasting menu' });
  await dialog.getByRole('button', { name: 'Send back' }).click();
  await dialog.getByText('Say what should change').waitFor();
  await dialog.getByLabel('Comment').fill('Say which Friday.');
  await dialog.getByRole('button', { name: 'Send back' }).click();
  await desk.getByText('Nothing awaits approval').waitFor();

  const { page, app } = marketer;
  await page.reload();
  await page.getByRole('note', { name: 'Changes requested' }).getByText('Say which Friday.').waitFor();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.waitForURL(/step=review$/);
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByRole('heading', { name: /Tasting menu/ }).getByText('Awaiting approval').waitFor();

  await desk.reload();
  await item.getByRole('button', { name: 'Approve Tasting menu' }).click();
  await deskApp.toast('Tasting menu approved').waitFor();

  // The marketer's page polls: the run starts sending at one message a second.
  const progress = page.getByRole('progressbar', { name: 'Sending progress' });
  await page.getByRole('heading', { name: /Tasting menu/ }).getByText('Sending').waitFor({ timeout: 20_000 });
  await expect.poll(async () => Number(await progress.getAttribute('value')), eventually).toBeGreaterThanOrEqual(1);
  await app.screenshot('campaigns-07-sending');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('heading', { name: /Tasting menu/ }).getByText('Paused').waitFor();
  const heldAt = twilio.messages.length;
  expect(heldAt).toBeLessThan(NAMES.length);
  await new Promise((r) => setTimeout(r, 2500));
  expect(twilio.messages.length).toBe(heldAt);
  await app.screenshot('campaigns-08-paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('heading', { name: /Tasting menu/ }).getByText('Completed').waitFor({ timeout: 30_000 });

  const counters = page.getByRole('region', { name: 'Progress' }).getByRole('definition');
  await expect.poll(async () => (await counters.allTextContents()).slice(0, 3), eventually).toEqual([String(NAMES.length + 1), String(NAMES.length), '0']);
  const sentTo = NAMES.map((_, i) => twilio.messages.filter((m) => m.to === phone(i)).length);
  expect(sentTo).toEqual(NAMES.map(() => 1));
  expect(twilio.messages.filter((m) => m.to === phone(NAMES.length))).toHaveLength(0);
  expect(twilio.messages.find((m) => m.to === phone(0))!.body).toBe('Hi Ada, the tasting menu is back on Friday. Reply STOP to opt out');

  const results = page.getByRole('region', { name: 'Results' });
  await results.getByRole('figure', { name: 'Funnel per variant' }).locator('.recharts-bar-rectangle').first().waitFor({ timeout: 20_000 });
  await app.screenshot('campaigns-09-results');
  const [download] = await Promise.all([page.waitForEvent('download'), results.getByRole('link', { name: 'Download per-recipient CSV' }).click()]);
  const rows: Record<string, string>[] = parse(await readFile((await download.path())!, 'utf8'), { columns: true });
  expect(rows).toHaveLength(NAMES.length + 1);
  expect(rows.filter((r) => r.status === 'sent').map((r) => r.name).sort()).toEqual([...NAMES].sort());
  expect(rows.find((r) => r.name === 'Opted Out')).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
  expect(app.errors).toEqual([]);
  expect(deskApp.errors).toEqual([]);
});

it('lists and calendars campaigns, and cancels a scheduled one from its page', { timeout: 90_000 }, async () => {
  const sendAt = new Date(Date.now() + 2 * 86_400_000);
  const created = await bench.stack.request('POST', '/v1/campaigns', { apiKey: bench.apiKey, body: { name: 'Wine night', channels: ['sms'], sendAt: sendAt.toISOString() } });
  const id = created.body.id as string;
  await bench.stack.request('PATCH', `/v1/campaigns/${id}`, { apiKey: bench.apiKey, body: { variants: [{ id: 'A', content: { sms: { text: 'Wine night on Saturday. Reply STOP to opt out' } }, generatedBy: 'edited', warnings: [] }] } });
  await bench.stack.request('POST', `/v1/campaigns/${id}/submit`, { apiKey: bench.apiKey });
  await bench.stack.request('POST', `/v1/campaigns/${id}/approve`, { apiKey: bench.apiKey });

  const { page, app } = marketer;
  await app.goto('/campaigns');
  const table = page.getByRole('table', { name: 'Campaigns' });
  await table.getByRole('row', { name: /Wine night.*Scheduled/ }).waitFor();
  await table.getByRole('row', { name: /Tasting menu.*Completed/ }).waitFor();
  await page.getByLabel('Status').selectOption({ label: 'Scheduled' });
  await expect.poll(() => table.getByRole('row').count(), eventually).toBe(2);

  await page.getByRole('tab', { name: 'Calendar' }).click();
  const calendar = page.getByRole('grid', { name: 'Campaign calendar' });
  if (sendAt.getMonth() !== new Date().getMonth()) await page.getByRole('button', { name: 'Next month' }).click();
  await calendar.getByRole('link', { name: /Wine night/ }).waitFor();
  await app.screenshot('campaigns-10-calendar');
  await calendar.getByRole('link', { name: /Wine night/ }).click();
  await page.getByRole('heading', { name: /Wine night/ }).getByText('Scheduled').waitFor();
  await page.getByRole('button', { name: 'Cancel campaign' }).click();
  await page.getByRole('dialog', { name: 'Cancel Wine night?' }).getByRole('button', { name: 'Cancel campaign' }).click();
  await page.getByRole('heading', { name: /Wine night/ }).getByText('Cancelled').waitFor();
  expect(twilio.messages.filter((m) => m.body.startsWith('Wine night'))).toHaveLength(0);
  expect(app.errors).toEqual([]);
});
