/**
 * Security headers on every response (CSP with frame-ancestors 'none', nosniff, no referrer), and
 * the pages that live under that policy still working in Chromium with no CSP violation: the
 * console, the /docs Swagger UI and the /chat page (whose inline script is allowed by its hash).
 * `/widget.js` stays loadable by other sites (test/e2e/widget.test.ts embeds it for real).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { llmOnlyFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let browser: Browser;
let apiKey: string;

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack({ ...sharedServers(), worker: false });
  browser = await launchBrowser();
  ({ apiKey } = await stack.createTenant());
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('headers', () => {
  it('sends the policy on API answers, pages and refusals alike', async () => {
    for (const [path, init] of [
      ['/v1/flows', { headers: { authorization: `Bearer ${apiKey}` } }],
      ['/v1/flows', {}],
      ['/', {}],
      ['/chat', {}],
      ['/docs/json', {}],
    ] as const) {
      const res = await fetch(stack.url + path, init);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(csp.get('default-src'), path).toEqual(["'self'"]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('script-src')?.includes("'unsafe-inline'"), path).toBe(false);
      // Plain http here: no HSTS, and nothing upgrades the page's requests to https.
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
      expect(csp.has('upgrade-insecure-requests'), path).toBe(false);
    }
    // The chat page's one inline script is allowed by its hash, nothing else inline.
    const chat = directives((await fetch(`${stack.url}/chat`)).headers.get('content-security-policy'));
    expect(chat.get('script-src')).toEqual(["'self'", expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/)]);
  });

  it('lets other sites load /widget.js', async () => {
    const res = await fetch(`${stack.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('pages under the policy', () => {
  /** A page that records CSP violations and script errors. */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(stack.url + path);
    return { page, problems };
  }

  it('renders the Swagger UI at /docs', async () => {
    const { page, problems } = await open('/docs');
    await page.getByText('Switchboard API').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs the console’s sign-in page', async () => {
    const { page, problems } = await open('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs the /chat page’s script and its API calls', async () => {
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Headers', graph: llmOnlyFlow } });
    await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
    const { page, problems } = await open('/chat');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('API key').press('Tab');
    await expect.poll(() => page.locator('#flow option').allTextContents()).toEqual(['Headers (v1)']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('cannot be framed by another site', async () => {
    const page = await browser.newPage();
    await page.setContent(`<iframe src="${stack.url}/chat"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f.url().startsWith(stack.url));
    // Chromium blocks the document: the frame stays empty (or never navigates).
    const framed = frame ? await frame.evaluate(() => !!document.getElementById('key')).catch(() => false) : false;
    expect(framed).toBe(false);
    await page.close();
  });
});
