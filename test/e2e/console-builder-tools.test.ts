/**
 * The builder's canvas tools in real Chromium (1280×720), on flows written through the API:
 * auto-layout, the minimap, zoom to fit, multi-select and delete, copy/paste, undo/redo (flow
 * settings included), export then import (an import is one undo step and replaces the settings),
 * restoring a version, a flow from a template, load errors shown where they happened, and the
 * read-only view. Screenshots in test-results/console/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import type { Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser, FlowBuilder } from './support/console';
import { startConsoleSession, type ConsoleSession } from './support/session';

let stack: Stack;
let browser: Browser;
let apiKey: string;
let page: Page;
let app: ConsoleApp;
let builder: FlowBuilder;

/** Five nodes in one row: auto-layout has something to change. */
const row: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'ask', type: 'ask', position: { x: 260, y: 0 }, data: { prompt: 'Your name?', variable: 'name' } },
    { id: 'hello', type: 'sendMessage', position: { x: 520, y: 0 }, data: { text: 'Hi {{name}}' } },
    { id: 'bye', type: 'sendMessage', position: { x: 780, y: 0 }, data: { text: 'Bye' } },
    { id: 'end', type: 'end', position: { x: 1040, y: 0 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'hello' },
    { id: 'e3', source: 'hello', target: 'bye' },
    { id: 'e4', source: 'bye', target: 'end' },
  ],
  settings: { errorMessage: 'Sorry, the flow broke.' },
};

let session: ConsoleSession | undefined;

beforeAll(async () => {
  session = await startConsoleSession('admin');
  ({ stack, browser, apiKey, page, app, builder } = session);
});

afterAll(async () => {
  await session?.close();
});

const draft = async (flowId: string) => (await stack.request('GET', `/v1/flows/${flowId}`, { apiKey })).body;
const nodeIds = async (flowId: string) => ((await draft(flowId)).graph.nodes as { id: string }[]).map((n) => n.id).sort();

/** True when every node's box lies inside the canvas. */
async function allNodesInView() {
  const canvas = (await page.locator('.editor-canvas').boundingBox())!;
  const boxes = await Promise.all((await page.locator('.react-flow__node').all()).map((n) => n.boundingBox()));
  return boxes.every((b) => b && b.x >= canvas.x && b.y >= canvas.y && b.x + b.width <= canvas.x + canvas.width && b.y + b.height <= canvas.y + canvas.height);
}

it('lays out, fits, multi-selects, copies, undoes, exports, imports and restores', { timeout: 80_000 }, async () => {
  onTestFailed(() => app.screenshot('tools-failure'));
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Tools', graph: row } });
  const flowId: string = created.body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: { note: 'first' } })).status).toBe(201);
  await app.goto(`/flows/${flowId}`);
  await builder.node('end').waitFor();

  // The minimap draws one rectangle per node.
  await expect.poll(() => page.locator('.react-flow__minimap .react-flow__minimap-node').count()).toBe(5);

  // Zoom to fit brings the whole flow back after panning it out of view.
  const canvas = (await page.locator('.editor-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 30);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width - 10, canvas.y + canvas.height - 10, { steps: 8 });
  await page.mouse.up();
  await expect.poll(allNodesInView).toBe(false);
  await page.getByRole('button', { name: 'Zoom to fit' }).click();
  await expect.poll(allNodesInView).toBe(true);

  // Auto-layout stacks the row top to bottom (saved with the draft).
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await builder.waitSaved();
  await expect
    .poll(async () => {
      const nodes = (await draft(flowId)).graph.nodes as { id: string; position: { x: number; y: number } }[];
      const y = Object.fromEntries(nodes.map((n) => [n.id, n.position.y]));
      return y.start < y.ask && y.ask < y.hello && y.hello < y.bye && y.bye < y.end;
    })
    .toBe(true);
  await expect.poll(allNodesInView).toBe(true);
  await app.screenshot('tools-01-laid-out');

  // Ctrl+click adds to the selection; Delete removes both nodes; one undo brings them back.
  await builder.node('hello').click();
  await builder.node('bye').click({ modifiers: ['Control'] });
  await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(2);
  await page.keyboard.press('Delete');
  await builder.node('bye').waitFor({ state: 'detached' });
  expect(await builder.node('hello').count()).toBe(0);
  await page.keyboard.press('Control+z');
  await builder.node('bye').waitFor();
  await builder.node('hello').waitFor();
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);

  // Copy/paste, undo/redo, delete.
  await builder.node('hello').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await builder.node('sendMessage-1').waitFor();
  await expect.poll(() => builder.problemCount()).toBeGreaterThan(0); // the copy is not connected
  await page.keyboard.press('Control+z');
  await builder.node('sendMessage-1').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await builder.node('sendMessage-1').waitFor();
  await builder.node('sendMessage-1').click();
  await page.keyboard.press('Delete');
  await builder.node('sendMessage-1').waitFor({ state: 'detached' });
  await expect.poll(() => builder.problemCount()).toBe(0);
  await builder.waitSaved();

  // Export downloads the draft as JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  const exported = readFileSync((await download.path())!, 'utf8');
  expect(JSON.parse(exported)).toMatchObject({ format: 'switchboard.flow', name: 'Tools', graph: { settings: { errorMessage: 'Sorry, the flow broke.' } } });

  // Change the draft, then import the export: the graph is back; undo reverts the import.
  await builder.select('bye');
  await page.getByRole('button', { name: 'Delete node' }).click();
  await builder.node('bye').waitFor({ state: 'detached' });
  const importInput = page.getByLabel('Import a flow JSON file into this draft');
  await importInput.setInputFiles({ name: 'Tools.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await app.toast('Imported into the draft (undo reverts it)').waitFor();
  await builder.node('bye').waitFor();
  await builder.waitSaved();
  expect(await nodeIds(flowId)).toEqual(['ask', 'bye', 'end', 'hello', 'start']);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await builder.node('bye').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await builder.node('bye').waitFor();

  // Flow settings edits are undoable; a bare graph without settings resets them to the defaults.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  const errorMessage = page.getByLabel(/^Error message/i);
  expect(await errorMessage.inputValue()).toBe('Sorry, the flow broke.');
  await errorMessage.fill('Oops.');
  await builder.waitSaved();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(() => errorMessage.inputValue()).toBe('Sorry, the flow broke.');
  const bare = JSON.stringify({ nodes: row.nodes.slice(0, 2), edges: row.edges.slice(0, 1) });
  await importInput.setInputFiles({ name: 'bare.json', mimeType: 'application/json', buffer: Buffer.from(bare) });
  await builder.node('end').waitFor({ state: 'detached' });
  await builder.waitSaved();
  expect((await draft(flowId)).graph.settings.errorMessage).not.toBe('Sorry, the flow broke.');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await builder.node('end').waitFor();
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await expect.poll(() => errorMessage.inputValue()).toBe('Sorry, the flow broke.');
  await builder.waitSaved();

  // Change the draft, then restore version 1 into it.
  await builder.select('ask');
  await page.getByLabel(/^Prompt/).fill('Who are you?');
  await builder.waitSaved();
  await builder.openTab('Versions');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click();
  await app.toast('Restored version 1 into the draft').waitFor();
  await builder.waitSaved();
  const restored = await draft(flowId);
  expect(restored.graph.nodes.find((n: { id: string }) => n.id === 'ask').data.prompt).toBe('Your name?');
  await expect.poll(() => builder.node('ask').textContent()).toContain('Your name?');
  await app.screenshot('tools-02-restored');
  expect(app.errors).toEqual([]);
});

it('creates a flow from a template; load errors show where they happened', { timeout: 40_000 }, async () => {
  onTestFailed(() => app.screenshot('tools-failure'));
  const failing = (route: Route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'try again later' } }) });

  await app.goto('/flows');
  await page.route('**/v1/flow-templates', failing);
  await page.getByRole('button', { name: 'New flow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New flow' });
  await dialog.getByText('Templates could not be loaded: try again later').waitFor();
  await app.screenshot('tools-03-templates-error');
  await page.unroute('**/v1/flow-templates');
  await dialog.getByRole('button', { name: 'Retry loading templates' }).click();
  await dialog.getByText('Templates could not be loaded').waitFor({ state: 'detached' });

  // The versions list fails to load in the builder: the Versions tab says so, and Retry recovers.
  await page.route('**/v1/flows/*/versions', failing);
  await dialog.getByLabel('Name').fill('Front desk');
  await dialog.getByLabel('Start from').selectOption({ label: 'Receptionist FAQ' });
  await dialog.getByText(/hands the visitor to a person/).waitFor();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/#\/flows\/[0-9a-f-]{36}$/);
  for (const id of ['start', 'greet', 'question', 'answer', 'more', 'human']) await builder.node(id).waitFor();
  await expect.poll(() => builder.problemCount()).toBe(0);
  await builder.openTab('Versions');
  await page.getByRole('tabpanel').getByText('Could not load the versions: try again later').waitFor();
  await app.screenshot('tools-04-template-versions-error');
  await page.unroute('**/v1/flows/*/versions');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('tabpanel').getByText('Not published yet').waitFor();
  expect(app.errors).toEqual([]);
});

it('shows a viewer the flow read-only', { timeout: 30_000 }, async () => {
  const viewer = await createConsoleUser(stack, apiKey, 'viewer');
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Look only', graph: row } });
  const viewerPage = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const viewerApp = new ConsoleApp(viewerPage, stack.url);
  const viewerBuilder = new FlowBuilder(viewerApp);
  await viewerApp.signIn(viewer.email, viewer.password);
  expect(await viewerApp.nav('Settings').count()).toBe(0);
  await viewerApp.goto(`/flows/${flow.body.id}`);
  await viewerBuilder.node('bye').waitFor();
  expect(await viewerPage.locator('.palette').count()).toBe(0);
  expect(await viewerPage.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
  expect(await viewerPage.getByRole('tab', { name: 'Try it' }).count()).toBe(0);
  await viewerBuilder.select('bye');
  expect(await viewerPage.getByLabel(/^Text/).isDisabled()).toBe(true);
  await viewerApp.screenshot('10-viewer-read-only');
  expect(viewerApp.errors).toEqual([]);
  await viewerPage.close();
});
