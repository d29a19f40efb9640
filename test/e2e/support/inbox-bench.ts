/**
 * An inbox in real Chromium with one conversation to fill: the built console, the real stack,
 * an admin signed in, a published start→end flow and an `api` conversation on it, and a Redis
 * connection to publish live frames as the activities do.
 */
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../support/browser';
import { buildConsoleOnce } from '../../support/console';
import { sharedServers } from '../../support/shared-servers';
import { startStack, type Stack } from '../../support/stack';
import { ConsoleApp, createConsoleUser } from './console';

const graph = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [{ id: 'start-end', source: 'start', target: 'end' }],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

export interface InboxBench {
  stack: Stack;
  browser: Browser;
  page: Page;
  app: ConsoleApp;
  redis: Redis;
  tenantId: string;
  conversationId: string;
  close(): Promise<void>;
}

export async function startInboxBench(flowName: string, env?: Record<string, string>): Promise<InboxBench> {
  await buildConsoleOnce();
  const stack = await startStack({ ...sharedServers(), env });
  const redis = new Redis(sharedServers().redisUrl);
  const browser = await launchBrowser();
  const { apiKey, tenantId } = await stack.createTenant();
  const admin = await createConsoleUser(stack, apiKey, 'admin');
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: flowName, graph } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conversationId = (await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id, channel: 'api' } })).body.id as string;
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
  return {
    stack, browser, page, app, redis, tenantId, conversationId,
    async close() {
      await browser.close();
      await stack.close();
      redis.quit();
    },
  };
}
