/**
 * The analytics dashboards' Chromium rig: a stack, a tenant holding the hand-computed day of
 * test/analytics/fixtures.ts (plus whatever `more` writes), its rollups, and a viewer signed in.
 */
import type { Browser, Page } from 'playwright-core';
import { systemEm } from '../../../db/orm';
import { rollupNodeHours } from '../../../db/repos/analytics-nodes-rollup';
import { rollupHours } from '../../../db/repos/analytics-rollup';
import { at, makeAnalyticsTenant, writeDay } from '../../analytics/fixtures';
import { launchBrowser } from '../../support/browser';
import { buildConsoleOnce } from '../../support/console';
import { sharedServers } from '../../support/shared-servers';
import { startStack, type Stack } from '../../support/stack';
import { ConsoleApp, createConsoleUser } from './console';

export interface AnalyticsConsole {
  stack: Stack;
  browser: Browser;
  page: Page;
  app: ConsoleApp;
  tenant: { tenantId: string; apiKey: string };
}

export async function openAnalyticsConsole(more: (stack: Stack, tenantId: string) => Promise<void> = async () => {}): Promise<AnalyticsConsole> {
  await buildConsoleOnce();
  const stack = await startStack({ ...sharedServers(), worker: false });
  const tenant = await stack.createTenant();
  await writeDay(stack.orm, await makeAnalyticsTenant(stack.orm, tenant.tenantId));
  await more(stack, tenant.tenantId);
  const range = { from: at('00:00:00'), to: at('23:59:59'), tenantId: tenant.tenantId };
  await rollupHours(systemEm(stack.orm), range);
  await rollupNodeHours(systemEm(stack.orm), range);
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const app = new ConsoleApp(page, stack.url);
  await app.signIn(viewer.email, viewer.password);
  return { stack, browser, page, app, tenant };
}
