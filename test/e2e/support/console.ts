/**
 * Page objects for the console, shared by the browser tests: sign-in, the flow list and the
 * builder (palette drag, handle connections, inspector, problems, publish, "Try it").
 * Screenshots go to test-results/console/.
 */
import { mkdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Stack } from '../../support/stack';

export const SCREENSHOT_DIR = 'test-results/console';

/** A console user created through the API with the tenant's key. */
export async function createConsoleUser(stack: Stack, apiKey: string, role: 'admin' | 'builder' | 'agent' | 'viewer' | 'marketer' | 'approver' = 'admin') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const password = `pw-${Math.random().toString(36).slice(2)}-long`;
  const res = await stack.request('POST', '/v1/users', { apiKey, body: { email, name: `Test ${role}`, role, password } });
  if (res.status !== 201) throw new Error(`POST /v1/users → ${res.status} ${JSON.stringify(res.body)}`);
  return { email, password, id: res.body.id as string };
}

export class ConsoleApp {
  readonly errors: string[] = [];
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  async goto(path: string) {
    await this.page.goto(`${this.baseUrl}/#${path}`);
  }

  async signIn(email: string, password: string) {
    await this.goto('/login');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  nav(label: string): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label });
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` });
  }

  toast(text: string | RegExp): Locator {
    return this.page.getByRole('region', { name: 'Notifications' }).getByText(text);
  }
}

export class FlowBuilder {
  constructor(readonly app: ConsoleApp) {}
  get page() {
    return this.app.page;
  }

  /** Creates a blank flow (Start → End) from the flow list and opens it; returns its id. */
  async createBlankFlow(name: string): Promise<string> {
    await this.app.goto('/flows');
    await this.page.getByRole('button', { name: 'New flow' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New flow' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await this.page.waitForURL(/#\/flows\/[0-9a-f-]{36}$/);
    await this.node('start').waitFor();
    return this.page.url().split('/').pop()!;
  }

  node(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }

  nodesOfType(type: string): Locator {
    return this.page.locator(`.react-flow__node-${type}`);
  }

  /** Drags a palette entry onto the canvas at (x, y) relative to the canvas; returns the new node's id. */
  async dragFromPalette(type: string, at: { x: number; y: number }): Promise<string> {
    const before = new Set(await this.page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))));
    const pane = this.page.locator('.editor-canvas .react-flow__pane');
    await this.page.locator(`.palette [data-node-type="${type}"]`).dragTo(pane, { targetPosition: at });
    let added: string | undefined;
    await expect
      .poll(async () => {
        const now = await this.page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
        added = now.find((id) => id && !before.has(id)) ?? undefined;
        return added;
      })
      .toBeTruthy();
    return added!;
  }

  /** Shift-drags a selection box around the given nodes (all of them when none are named). */
  async selectBox(nodeIds?: string[]) {
    const nodes = nodeIds ? nodeIds.map((id) => this.node(id)) : await this.page.locator('.react-flow__node').all();
    const boxes = await Promise.all(nodes.map(async (n) => (await n.boundingBox())!));
    const left = Math.min(...boxes.map((b) => b.x)) - 20;
    const top = Math.min(...boxes.map((b) => b.y)) - 20;
    const right = Math.max(...boxes.map((b) => b.x + b.width)) + 20;
    const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 20;
    const { keyboard, mouse } = this.page;
    await keyboard.down('Shift');
    await mouse.move(left, top);
    await mouse.down();
    await mouse.move((left + right) / 2, (top + bottom) / 2, { steps: 5 });
    await mouse.move(right, bottom, { steps: 5 });
    await mouse.up();
    await keyboard.up('Shift');
  }

  handle(nodeId: string, kind: 'source' | 'target', handleId = 'next'): Locator {
    const selector = kind === 'target' ? '.react-flow__handle.target' : `.react-flow__handle.source[data-handleid="${handleId}"]`;
    return this.node(nodeId).locator(selector);
  }

  /** Drags from a node's output handle to another node's input handle with the mouse. */
  async connect(source: string, target: string, handleId = 'next') {
    const from = await this.handle(source, 'source', handleId).boundingBox();
    const to = await this.handle(target, 'target').boundingBox();
    if (!from || !to) throw new Error(`handles of ${source} → ${target} are not visible`);
    const m = this.page.mouse;
    await m.move(from.x + from.width / 2, from.y + from.height / 2);
    await m.down();
    await m.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await m.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
    await m.up();
    // A straight vertical edge has no width, which Playwright counts as hidden: wait for it to exist.
    await this.edge(source, target).waitFor({ state: 'attached' });
  }

  /** React Flow labels each edge "Edge from <source> to <target>". */
  edge(source: string, target: string): Locator {
    return this.page.locator(`.react-flow__edge[aria-label="Edge from ${source} to ${target}"]`);
  }

  /** Selects a node and shows its settings (the side panel may be on another tab, e.g. "Try it"). */
  async select(nodeId: string) {
    const nodeTab = this.page.getByRole('tab', { name: 'Node' });
    const idField = this.inspector().getByLabel('Node id');
    // A click while the canvas is still panning (after a problem was focused) can miss the node,
    // and then there is no node to show: bring every node into view and click again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.node(nodeId).click();
      if (await nodeTab.waitFor({ timeout: 2_000 }).then(() => true, () => false)) {
        await nodeTab.click();
        if ((await idField.inputValue({ timeout: 2_000 }).catch(() => '')) === nodeId) break;
      }
      await this.page.getByRole('button', { name: 'Zoom to fit' }).click();
      await this.page.waitForTimeout(500);
    }
    await expect.poll(() => idField.inputValue()).toBe(nodeId);
  }

  inspector(): Locator {
    return this.page.getByRole('tabpanel');
  }

  async openTab(name: string | RegExp) {
    await this.page.getByRole('tab', { name }).click();
  }

  problemCount(): Promise<number> {
    return this.page
      .getByRole('tab', { name: /Problems/ })
      .textContent()
      .then((t) => Number(/\((\d+)\)/.exec(t ?? '')?.[1] ?? NaN));
  }

  publishButton(): Locator {
    return this.page.getByRole('button', { name: 'Publish', exact: true }).first();
  }

  async waitSaved() {
    await this.page.locator('[data-save-status="saved"]').waitFor();
  }

  async publish(note: string) {
    await this.publishButton().click();
    const dialog = this.page.getByRole('dialog', { name: 'Publish the draft' });
    await dialog.getByLabel('Note').fill(note);
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  async startTestChat() {
    await this.openTab('Try it');
    await this.page.getByRole('button', { name: /Start test chat|Restart/ }).click();
    await expect.poll(() => this.page.getByLabel('Test message').isEnabled(), { timeout: 20_000 }).toBe(true);
  }

  async sendTestMessage(text: string) {
    await this.page.getByLabel('Test message').fill(text);
    await this.page.getByLabel('Test message').press('Enter');
  }

  testMessage(author: 'bot' | 'contact' | 'agent', text: string): Locator {
    return this.page.locator(`.tryit-log .tryit-${author}`, { hasText: text });
  }
}
