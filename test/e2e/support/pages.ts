/**
 * Page objects for the console's operating pages (inbox, runs, knowledge, settings), built on
 * ConsoleApp from ./console. They locate controls by role and label, as a person would.
 */
import { expect } from 'vitest';
import type { Locator } from 'playwright-core';
import type { ConsoleApp } from './console';

export class InboxPageObject {
  constructor(readonly app: ConsoleApp) {}
  get page() {
    return this.app.page;
  }

  async open(conversationId?: string) {
    await this.app.goto(conversationId ? `/inbox/${conversationId}` : '/inbox');
    await this.page.getByRole('heading', { name: 'Inbox' }).waitFor();
  }

  /** The conversation's entry in the list. */
  listItem(conversationId: string): Locator {
    return this.page.locator(`[data-conversation-id="${conversationId}"]`);
  }

  async filterByState(label: 'All' | 'Bot' | 'Waiting' | 'Human' | 'Closed') {
    await this.page.getByRole('tablist', { name: 'Conversation state' }).getByRole('tab', { name: label }).click();
  }

  transcript(): Locator {
    return this.page.getByRole('log', { name: 'Transcript' });
  }

  message(author: 'contact' | 'bot' | 'agent' | 'system', text: string): Locator {
    return this.transcript().locator(`.ib-msg[data-author="${author}"]`, { hasText: text });
  }

  conversationPanel(): Locator {
    return this.page.getByRole('region', { name: 'Conversation', exact: true });
  }

  composer(): Locator {
    return this.page.getByLabel('Reply');
  }

  async takeOver() {
    await this.conversationPanel().getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => this.composer().isEnabled(), { timeout: 15_000 }).toBe(true);
  }

  async reply(text: string) {
    await this.composer().fill(text);
    await this.composer().press('Enter');
    await this.message('agent', text).waitFor({ timeout: 15_000 });
  }

  /** Opens "Canned responses…" and fills the "New response" form (left open: the caller saves or fixes it). */
  async addCannedResponse(shortcut: string, text: string) {
    await this.page.getByRole('button', { name: 'Canned responses…' }).click();
    await this.page.getByRole('dialog', { name: 'Canned responses' }).getByRole('button', { name: 'New response' }).click();
    const editor = this.page.getByRole('dialog', { name: 'New canned response' });
    await editor.getByLabel('Shortcut').fill(shortcut);
    await editor.getByLabel('Text').fill(text);
    await editor.getByRole('button', { name: 'Save' }).click();
  }

  /** Types "/shortcut" and picks the first suggested canned response with Enter. */
  async insertCanned(shortcutPrefix: string) {
    await this.composer().fill('');
    await this.composer().pressSequentially(`/${shortcutPrefix}`);
    await this.page.getByRole('listbox', { name: 'Canned responses' }).getByRole('option').first().waitFor();
    await this.composer().press('Enter');
  }
}

export class RunsPageObject {
  constructor(readonly app: ConsoleApp) {}
  get page() {
    return this.app.page;
  }

  async open() {
    await this.app.goto('/runs');
    await this.page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
  }

  row(workflowId: string): Locator {
    return this.page.getByRole('link', { name: workflowId, exact: true });
  }

  async openRun(workflowId: string) {
    await this.row(workflowId).click();
    await this.page.getByRole('heading', { name: workflowId }).waitFor();
  }

  /** Nodes lit on the canvas with their step numbers, in step order. */
  async highlighted(): Promise<{ nodeId: string; order: number }[]> {
    const nodes = await this.page.locator('.fnode[class*="fnode-run-"]').evaluateAll((els) =>
      els.map((el) => ({ nodeId: el.getAttribute('data-node-id')!, order: Number(/#(\d+)/.exec(el.querySelector('.fnode-order')?.textContent ?? '')?.[1] ?? NaN) })),
    );
    return nodes.sort((a, b) => a.order - b.order);
  }

  /** The run's status as the page shows it (running, completed, terminated…). */
  status(): Promise<string | null> {
    return this.page.locator('[data-run-status]').getAttribute('data-run-status');
  }

  /** Opens an action's confirmation dialog ("Cancel", "Terminate", "Signal…", "Reset to node…"). */
  async openAction(label: 'Cancel' | 'Terminate' | 'Signal…' | 'Reset to node…'): Promise<Locator> {
    await this.page.getByRole('button', { name: label, exact: true }).click();
    return this.page.getByRole('dialog');
  }

  /** Opens a node's details from the executed-path list. */
  async openStep(nodeId: string): Promise<Locator> {
    await this.page.getByRole('list', { name: 'Executed nodes in order' }).locator(`[data-node-id="${nodeId}"]`).click();
    return this.page.getByRole('region', { name: 'Node', exact: true });
  }
}

export class KnowledgePageObject {
  constructor(readonly app: ConsoleApp) {}
  get page() {
    return this.app.page;
  }

  async open() {
    await this.app.goto('/knowledge');
    await this.page.getByRole('heading', { name: 'Knowledge', level: 1 }).waitFor();
  }

  /** Creates a knowledge base from the dialog; it opens on the right. */
  async create(name: string) {
    await this.page.getByRole('button', { name: 'New knowledge base' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New knowledge base' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.getByRole('region', { name, exact: true }).waitFor();
  }

  /** Uploads a file from memory through the "Upload" tab. */
  async upload(fileName: string, content: string, mimeType = 'text/plain') {
    const form = this.page.getByRole('form', { name: 'Add a document' });
    await form.getByRole('tab', { name: 'Upload' }).click();
    await form.getByLabel('File').setInputFiles({ name: fileName, mimeType, buffer: Buffer.from(content) });
    await form.getByRole('button', { name: 'Add document' }).click();
  }

  /** Imports a CSV or JSONL file from memory through "Import many documents". */
  async importFile(fileName: string, content: string, mimeType = 'text/csv') {
    // The tab chosen last (e.g. the search playground) stays chosen for the next knowledge base.
    await this.page.getByRole('tab', { name: 'Documents' }).click();
    const form = this.page.getByRole('form', { name: 'Import many documents' });
    await form.getByLabel('CSV or JSONL file').setInputFiles({ name: fileName, mimeType, buffer: Buffer.from(content) });
    await form.getByRole('button', { name: 'Import' }).click();
    return form;
  }

  documentStatus(name: string): Promise<string | null> {
    return this.page
      .getByRole('row')
      .filter({ has: this.page.locator(`[data-document-name="${name}"]`) })
      .locator('[data-document-status]')
      .getAttribute('data-document-status', { timeout: 2_000 })
      .catch(() => null);
  }

  async search(query: string): Promise<Locator> {
    await this.page.getByRole('tab', { name: 'Search playground' }).click();
    const form = this.page.getByRole('form', { name: 'Search playground' });
    await form.getByLabel('Query').fill(query);
    await form.getByRole('button', { name: 'Search' }).click();
    return this.page.locator('[data-search-hit]');
  }
}

export class SettingsPageObject {
  constructor(readonly app: ConsoleApp) {}
  get page() {
    return this.app.page;
  }

  async open(section: 'users' | 'api-keys' | 'llm' | 'email' | 'audit' = 'users') {
    await this.app.goto(`/settings/${section}`);
    await this.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  }

  /** Creates an API key and returns the key shown (once) in the dialog, leaving the dialog open. */
  async createApiKey(name: string, opts: { scope?: string; expiresOn?: string } = {}): Promise<string> {
    await this.page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill(name);
    if (opts.scope) await dialog.getByLabel('Scope').selectOption(opts.scope);
    if (opts.expiresOn) await dialog.getByLabel('Expires on (optional)').fill(opts.expiresOn);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = this.page.getByRole('dialog', { name: `API key “${name}”` });
    await shown.waitFor();
    return shown.getByLabel('API key').inputValue();
  }

  async closeShownKey() {
    await this.page.getByRole('button', { name: 'I have stored it' }).click();
  }
}
