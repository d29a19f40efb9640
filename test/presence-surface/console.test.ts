/**
 * The presence grader in real Chromium against the real API and worker, a local website and the
 * listing fakes: an admin runs an audit and watches its modules' progress, reads the report (grade
 * dial, categories, recommendations, a check's evidence), shares it (the link opens without login
 * in a fresh browser context until revoked), sees the history and what changed after a second
 * audit, schedules re-audits, and turns the public grader page on; a visitor then gets a grade
 * there and the report by email. Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from '../e2e/support/console';
import { Redis } from 'ioredis';
import { KEYS, startListingFakes } from './listing-fixtures';
import { startSite } from './site';

let stack: Stack;
let smtp: FakeSmtp;
let fakes: Awaited<ReturnType<typeof startListingFakes>>;
let site: Awaited<ReturnType<typeof startSite>>;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };

beforeAll(async () => {
  await buildConsoleOnce();
  [smtp, fakes, site] = await Promise.all([startFakeSmtp(), startListingFakes(), startSite()]);
  stack = await startStack({ ...sharedServers(), env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  tenant = await stack.createTenant();
  for (const [path, url, apiKey] of [['google-places', fakes.google.url, KEYS.google], ['yelp', fakes.yelp.url, KEYS.yelp], ['facebook-graph', fakes.facebook.url, KEYS.facebook]]) {
    expect((await stack.request('PUT', `/v1/settings/${path}`, { apiKey: tenant.apiKey, body: { baseURL: url, apiKey } })).status).toBe(200);
  }
  const r = new Redis(sharedServers().redisUrl);
  await r.del('ratelimit:grader-site-all:127.0.0.1');
  r.disconnect();
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await Promise.all([smtp?.close(), fakes?.close(), site?.close()]);
});

async function runAudit(): Promise<string> {
  await app.goto('/presence');
  const form = page.getByRole('form', { name: 'Start an audit' });
  await form.getByLabel('Website', { exact: true }).fill(site.url);
  await form.getByRole('button', { name: 'Run audit' }).click();
  await page.waitForURL(/#\/presence\/[0-9a-f-]{36}$/);
  return page.url().split('/').at(-1)!;
}

it('runs an audit with live progress and shows its report', { timeout: 120_000 }, async () => {
  site.slow(1500);
  await runAudit();
  await page.getByRole('progressbar', { name: 'Audit progress' }).waitFor();
  await expect.poll(() => page.getByRole('list', { name: 'Check groups' }).getByRole('listitem').count(), { timeout: 15_000 }).toBe(9);
  await app.screenshot('presence-progress');
  site.slow(0);
  const dial = page.getByRole('img', { name: /^Grade [A-F], \d+ of 100$/ });
  await dial.waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByLabel('Score by category').getByText('Consistency').count()).toBe(1);
  const recs = page.getByRole('list', { name: /Recommendations/ });
  await recs.getByText('Use one phone number everywhere').waitFor();
  await page.getByRole('button', { name: 'Show every check' }).click();
  const phone = page.locator('details', { hasText: 'Same phone everywhere' });
  await phone.locator('summary').click();
  await phone.getByText('(217) 555-0199').waitFor();
  await page.getByRole('link', { name: 'Download PDF' }).waitFor();
  await app.screenshot('presence-report');
  expect(app.errors).toEqual([]);
});

it('shares the report read-only without login, until the link is revoked', { timeout: 60_000 }, async () => {
  await page.getByRole('button', { name: 'Make a share link' }).click();
  const link = page.getByRole('list', { name: 'Share links' }).getByRole('link');
  await link.waitFor();
  const url = (await link.getAttribute('href'))!;
  const stranger = await browser.newContext();
  const shared = await stranger.newPage();
  expect((await shared.goto(url))!.status()).toBe(200);
  await shared.getByRole('img', { name: /^Score \d+ of 100, grade [A-F]$/ }).waitFor();
  await shared.getByText('Same phone everywhere').waitFor();
  await page.getByRole('button', { name: /^Revoke link made/ }).click();
  await app.toast('Link revoked: it opens nothing now').waitFor();
  expect((await shared.goto(url))!.status()).toBe(404);
  await stranger.close();
});

it('shows the history and what changed after a second audit', { timeout: 120_000 }, async () => {
  site.set({ name: 'Trattoria Sole', telephone: '(217) 555-0142' });
  try {
    await runAudit();
    await page.getByRole('img', { name: /^Grade [A-F], \d+ of 100$/ }).waitFor({ timeout: 30_000 });
    const changed = page.getByLabel('What changed');
    await changed.getByText(/^Since the audit of/).waitFor();
    await changed.getByText(/Facebook page: pass → fail/).waitFor();
    await app.goto('/presence');
    await page.getByRole('figure', { name: /^Score over time/ }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Audits' }).getByRole('row').count()).toBe(3);
    await app.screenshot('presence-history');
  } finally {
    site.set((await import('./site')).trattoriaJsonLd);
  }
});

it('schedules re-audits and turns the public grader page on, where a visitor gets a grade and the report by email', { timeout: 120_000 }, async () => {
  await app.goto('/presence');
  const schedule = page.getByRole('form', { name: 'Scheduled re-audits' });
  await schedule.getByLabel('Re-audit my website on a schedule').check();
  await schedule.getByLabel('Website', { exact: true }).fill(site.url);
  await schedule.getByLabel('How often').selectOption('monthly');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await app.toast('Re-audits monthly').waitFor();
  await schedule.getByText(/^Next: /).waitFor();
  await page.getByRole('form', { name: 'Public grader page' }).getByRole('button', { name: 'Turn on' }).click();
  await app.toast('Public grader page on').waitFor();
  const slug = (await tenantById(systemEm(stack.orm), tenant.tenantId))!.slug;

  const visitorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${stack.url}/grader/${slug}`);
  await visitor.getByLabel('Your website').fill(site.url);
  await visitor.getByLabel('Your email').fill('visitor@trattoria.example');
  await visitor.getByLabel(/^Email me the report/).check();
  // A person takes a few seconds to fill the form; the timing check refuses faster ones.
  await visitor.waitForTimeout(3200);
  await visitor.getByRole('button', { name: 'Grade my website' }).click();
  await visitor.getByRole('heading', { name: 'Your grade' }).waitFor({ timeout: 60_000 });
  await visitor.getByText('The full report is on its way to your inbox.').waitFor({ timeout: 30_000 });
  await visitor.screenshot({ path: 'test-results/console/presence-public-grader.png' });
  const [mail] = await smtp.waitFor(1);
  expect(mail.envelope.to).toEqual(['visitor@trattoria.example']);
  await visitorContext.close();
});

it('sets a listing account in Settings → Listings: a wrong key fails the test, the right one is saved and never shown', { timeout: 60_000 }, async () => {
  await app.goto('/settings/listings');
  const yelp = page.getByRole('form', { name: 'Yelp Fusion account' });
  await yelp.getByText('key set').waitFor();
  await yelp.getByLabel('API key').fill('not-the-key');
  await yelp.getByRole('button', { name: 'Test connection' }).click();
  await yelp.getByRole('status', { name: 'Connection test result' }).getByText('the provider answered HTTP 401').waitFor();
  await yelp.getByLabel('API key').fill(KEYS.yelp);
  await yelp.getByRole('button', { name: 'Test connection' }).click();
  await yelp.getByRole('status', { name: 'Connection test result' }).getByText('Connected').waitFor();
  await yelp.getByRole('button', { name: 'Save' }).click();
  await app.toast('Yelp Fusion account saved').waitFor();
  expect(await yelp.getByLabel('API key').inputValue()).toBe('');
  await app.screenshot('presence-listing-settings');
  expect(app.errors).toEqual([]);
});
