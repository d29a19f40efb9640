/**
 * The Usage page and the quota banner in real Chromium, against the real API: a viewer (every role
 * reads usage) sees the banner while a quota is over 80 %, follows it to the page, and reads a bar
 * per quota — used of limit with its share, the reset time, "unlimited" where there is no limit.
 * Screenshot in test-results/console/.
 */
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Quotas } from '../../quotas/quotas';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from './support/console';

let stack: Stack;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
const redis = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  app = new ConsoleApp(page, stack.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  redis.disconnect();
});

it('shows the banner over 80 % and a bar per quota on the Usage page', { timeout: 60_000 }, async () => {
  const tenant = await stack.createTenant();
  const quotas = new Quotas(redis, stack.orm, stack.config);
  await quotas.store.setOverrides(tenant.tenantId, { llm_tokens_per_month: 1000, campaign_sends_per_day: 50 }, { label: 'operator (test)', method: 'PUT', route: 'test', path: 'test', ip: 'local', userAgent: null });
  await quotas.countLlmTokens(tenant.tenantId, 850);
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');

  await app.signIn(viewer.email, viewer.password);
  const banner = page.getByRole('status').filter({ hasText: 'Quota over 80 %' });
  await banner.waitFor();
  expect(await banner.textContent()).toContain('LLM tokens this month');
  await banner.getByRole('link', { name: 'See usage' }).click();
  await page.getByRole('heading', { name: 'Usage' }).waitFor();

  const tokens = page.getByRole('progressbar', { name: 'LLM tokens this month' });
  await tokens.waitFor();
  expect(await tokens.getAttribute('aria-valuenow')).toBe('850');
  expect(await tokens.getAttribute('aria-valuemax')).toBe('1000');
  const row = page.locator('[data-quota="llm_tokens_per_month"]');
  expect(await row.textContent()).toContain('850 of 1,000 (85 %)');
  expect(await row.textContent()).toContain('Over 80 %');
  expect(await row.textContent()).toMatch(/Resets .*\(UTC period\)/);
  expect(await page.locator('[data-quota="campaign_sends_per_day"]').textContent()).toContain('0 of 50 (0 %)');
  expect(await page.locator('[data-quota="storage_bytes"]').textContent()).toContain('unlimited');
  expect(await page.getByRole('progressbar').count()).toBe(4);
  await app.screenshot('usage-page');
  expect(app.errors).toEqual([]);
});
