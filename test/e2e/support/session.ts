/**
 * The usual start of a builder browser test: the console built, a stack, Chromium, and a laptop-size
 * page signed in as a new user (of the given role) of a new tenant.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../support/browser';
import { buildConsoleOnce } from '../../support/console';
import { sharedServers } from '../../support/shared-servers';
import { startStack, type Stack } from '../../support/stack';
import { ConsoleApp, createConsoleUser, FlowBuilder } from './console';

export interface ConsoleSession {
  stack: Stack;
  browser: Browser;
  apiKey: string;
  page: Page;
  app: ConsoleApp;
  builder: FlowBuilder;
  close: () => Promise<void>;
}

export async function startConsoleSession(role: Parameters<typeof createConsoleUser>[2] = 'admin'): Promise<ConsoleSession> {
  await buildConsoleOnce();
  const stack = await startStack(sharedServers());
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await stack.close();
  };
  try {
    browser = await launchBrowser();
    const { apiKey } = await stack.createTenant();
    const user = await createConsoleUser(stack, apiKey, role);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = new ConsoleApp(page, stack.url);
    await app.signIn(user.email, user.password);
    return { stack, browser, apiKey, page, app, builder: new FlowBuilder(app), close };
  } catch (err) {
    await close();
    throw err;
  }
}
