/**
 * The phone sample of a voice profile: `POST /v1/voices/:id/sample {format: "telephony"}` speaks
 * through the call speech chain (cached 8 kHz μ-law WAV; another tenant's profile is not found),
 * and the console's "Phone sample" button plays it in Chromium beside "Play sample".
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { freePort } from '../support/ports';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from '../e2e/support/console';
import { tempStore } from './support';

let stack: Stack;
let browser: Browser;
let media: Awaited<ReturnType<typeof tempStore>>;

beforeAll(async () => {
  await buildConsoleOnce();
  media = await tempStore();
  // The console's CSP lets media come from the API's own origin: PUBLIC_URL is the address the browser uses.
  const port = await freePort();
  stack = await startStack({ ...sharedServers(), worker: false, env: { MEDIA_DIR: media.dir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await media?.close();
});

it('speaks a phone sample once, only for the tenant, and plays it in the console', { timeout: 120_000 }, async () => {
  const a = await stack.createTenant();
  const b = await stack.createTenant();
  const voice = await stack.request('POST', '/v1/voices', { apiKey: a.apiKey, body: { name: 'Reception', provider: 'espeak', voiceId: 'en-gb' } });
  expect(voice.status).toBe(201);
  const first = await stack.request('POST', `/v1/voices/${voice.body.id}/sample`, { apiKey: a.apiKey, body: { format: 'telephony' } });
  expect(first).toMatchObject({ status: 200, body: { cached: false, characters: 0, engine: 'espeak-ng' } });
  expect(new URL(first.body.url, stack.url).pathname).toMatch(/\/voice-speech\/[0-9a-f]{64}\.wav$/);
  const wav = Buffer.from(await (await fetch(new URL(first.body.url, stack.url))).arrayBuffer());
  expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(wav.readUInt16LE(20)).toBe(7); // WAVE_FORMAT_MULAW
  expect(wav.readUInt32LE(24)).toBe(8000);
  expect((await stack.request('POST', `/v1/voices/${voice.body.id}/sample`, { apiKey: a.apiKey, body: { format: 'telephony' } })).body.cached).toBe(true);
  expect((await stack.request('POST', `/v1/voices/${voice.body.id}/sample`, { apiKey: b.apiKey, body: { format: 'telephony' } })).status).toBe(404);
  expect((await stack.request('POST', `/v1/voices/${voice.body.id}/sample`, { apiKey: a.apiKey, body: { format: 'fax' } })).body.error.field).toBe('format');

  const user = await createConsoleUser(stack, a.apiKey, 'marketer');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const app = new ConsoleApp(page, stack.url);
  await app.signIn(user.email, user.password);
  await app.nav('Avatars').click();
  const row = page.getByRole('region', { name: 'Voices' }).getByRole('row', { name: /Reception/ });
  await row.getByRole('button', { name: 'Play sample' }).waitFor();
  await row.getByRole('button', { name: 'Phone sample' }).click();
  const player = row.getByLabel('Reception phone sample');
  await expect.poll(() => player.evaluate((a: HTMLAudioElement) => a.readyState >= 1 && a.duration > 1), { timeout: 30_000 }).toBe(true);
  expect(await player.getAttribute('src')).toMatch(/\/voice-speech\/[0-9a-f]{64}\.wav\?expires=/);
  expect(await row.getByRole('button', { name: 'Play sample' }).isVisible()).toBe(true);
});
