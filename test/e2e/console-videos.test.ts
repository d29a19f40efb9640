/**
 * The video pages in real Chromium against the real stack and the fake providers: a marketer adds
 * a voice and plays its sample, uploads a presenter image (previewed), writes a script, renders it,
 * watches the progress bar reach "completed" and gets the player, the download and the cost; the
 * Videos list shows it with its cost. Screenshots in test-results/console/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { presenterImage } from '../renders/media-fixtures';
import { renderTenant, startRenderRig, type RenderRig } from '../renders/support';
import { ConsoleApp, createConsoleUser, SCREENSHOT_DIR } from './support/console';

let rig: RenderRig;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let dir: string;

beforeAll(async () => {
  await buildConsoleOnce();
  rig = await startRenderRig({ renderMs: 800 });
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'console-videos-'));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await rig?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('adds a voice and an avatar, renders a script and plays the result', { timeout: 180_000 }, async () => {
  const t = await renderTenant(rig);
  const marketer = await createConsoleUser(rig.stack, t.apiKey, 'marketer');
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  app = new ConsoleApp(page, rig.stack.url);
  await app.signIn(marketer.email, marketer.password);

  await app.nav('Avatars').click();
  await page.getByRole('heading', { name: 'Avatars', level: 1 }).waitFor();
  const newVoice = page.getByRole('region', { name: 'New voice' });
  await newVoice.getByLabel('Name').fill('Adam');
  await newVoice.getByLabel('ElevenLabs voice').selectOption({ label: 'Adam' });
  await newVoice.getByRole('button', { name: 'Add voice' }).click();
  const voices = page.getByRole('region', { name: 'Voices' });
  await voices.getByRole('cell', { name: 'Adam' }).waitFor();
  await voices.getByRole('row', { name: /Adam/ }).getByRole('button', { name: 'Play sample' }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Voices' }).locator('audio').count(), { timeout: 15_000 }).toBe(1);

  const file = join(dir, 'chef.png');
  await writeFile(file, await presenterImage('png', '600x600'));
  const newAvatar = page.getByRole('region', { name: 'New avatar' });
  await newAvatar.getByLabel('Name').fill('Chef Ana');
  await newAvatar.getByLabel('Presenter image').setInputFiles(file);
  await newAvatar.getByRole('img', { name: 'Preview of the presenter image' }).waitFor();
  await newAvatar.getByLabel('Voice').selectOption({ label: 'Adam' });
  await newAvatar.getByRole('button', { name: 'Add avatar' }).click();
  await page.getByRole('img', { name: "Chef Ana's presenter image" }).waitFor();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/videos-avatars.png` });

  await app.nav('Videos').click();
  await page.getByRole('button', { name: 'New render' }).click();
  await page.getByLabel('Title').fill('Friday special');
  await page.getByRole('textbox', { name: 'Script' }).fill('This Friday our chef serves a slow roasted lamb with rosemary potatoes. Book your table today.');
  await page.getByLabel('Avatar').selectOption({ label: 'Chef Ana' });
  await page.getByRole('button', { name: 'Render' }).click();
  await page.getByRole('progressbar', { name: 'Render progress' }).waitFor();
  await page.getByRole('region', { name: 'Video' }).waitFor({ timeout: 90_000 });
  expect(await page.getByRole('progressbar', { name: 'Render progress' }).getAttribute('value')).toBe('8');
  await expect.poll(() => page.getByTestId('render-cost').textContent()).toMatch(/1 D-ID credit · \d+ ElevenLabs chars/);
  expect(await page.getByRole('link', { name: 'Download MP4' }).getAttribute('href')).toMatch(/^http/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/videos-render.png` });

  await app.nav('Videos').click();
  await page.getByRole('link', { name: 'Friday special' }).waitFor();
  expect(await page.getByRole('row', { name: /Friday special/ }).textContent()).toMatch(/completed.*1 D-ID credit/);
});
