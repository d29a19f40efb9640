/**
 * Renders end to end on the real stack (API, worker, Temporal, PostgreSQL) against the fake
 * providers: speech → D-ID → webhook → download → checks → outputs → stored; the cache (an
 * identical request makes no provider call); a corrupted result failing quality control with the
 * reason; provider refusals classified and only transient ones retried; the offline renderer.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTenant, startRenderRig, waitForRender, type RenderRig } from './support';

const run = promisify(execFile);
let rig: RenderRig;
let t: Awaited<ReturnType<typeof renderTenant>>;

beforeAll(async () => {
  rig = await startRenderRig({ renderMs: 1200 });
  t = await renderTenant(rig);
}, 60_000);
afterAll(async () => rig?.close());

const render = (script: string, apiKey = t.apiKey, avatarId = t.avatarId) => rig.stack.request('POST', '/v1/videos', { apiKey, body: { title: 'Special', script: { type: 'text', text: script }, avatarId } });

async function probeUrl(url: string) {
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  try {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const file = join(dir, 'v');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]);
    return String(stdout).trim().split('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('a D-ID render', () => {
  const script = 'This week our chef recommends the slow roasted lamb with rosemary potatoes and a glass of red wine.';
  let first: any;

  it('goes speech → D-ID → webhook → checks → outputs → stored, with its cost', async () => {
    const created = await render(script);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ cached: false, status: 'running', provider: 'd-id' });
    first = await waitForRender(rig.stack, t.apiKey, created.body.id);
    expect(first).toMatchObject({ status: 'completed', stage: 'completed', error: null, cost: { didCredits: 1, elevenLabsCharacters: script.length } });
    expect(first.durationSec).toBeGreaterThan(5);
    expect(await probeUrl(first.outputs.mp4)).toEqual(expect.arrayContaining(['h264', 'aac']));
    expect(await probeUrl(first.outputs.webm)).toEqual(expect.arrayContaining(['vp9']));
    expect((await fetch(first.outputs.poster)).headers.get('content-type')).toBe('image/jpeg');
    expect(rig.did.created).toBe(1);
    // D-ID's webhook reached the API and woke the workflow (the poll interval is 30 s).
    expect(rig.did.webhooks).toEqual([expect.objectContaining({ status: 200 })]);
    const list = await rig.stack.request('GET', '/v1/videos', { apiKey: t.apiKey });
    expect(list.body.items[0]).toMatchObject({ id: first.id, status: 'completed', cost: first.cost, outputs: null });
  });

  it('answers an identical request from the cache with no provider call', async () => {
    const before = { did: rig.did.requests.length, eleven: rig.eleven.requests.length };
    const again = await render(script);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.id, cached: true, status: 'completed' });
    expect(again.body.outputs.mp4).toMatch(/^http/);
    expect({ did: rig.did.requests.length, eleven: rig.eleven.requests.length }).toEqual(before);
  });

  it('fails a corrupted result in quality control with the reason', async () => {
    rig.did.corruptNextResult();
    const created = await render('A second script that D-ID renders into a broken file for our quality checks.');
    const done = await waitForRender(rig.stack, t.apiKey, created.body.id);
    expect(done).toMatchObject({ status: 'failed', errorClass: 'quality', outputs: null });
    expect(done.error).toMatch(/quality control: not a readable video|quality control/);
  });

  it('classifies refusals: quota and a bad image fail at once, a transient 500 is retried', async () => {
    rig.did.refuseNext(402);
    const quota = await waitForRender(rig.stack, t.apiKey, (await render('Quota script number one for the credits test.')).body.id);
    expect(quota).toMatchObject({ status: 'failed', errorClass: 'quota' });
    expect(quota.error).toMatch(/InsufficientCreditsError/);

    rig.did.refuseNext(400, 'FaceError', 'Face not detected in source image');
    const face = await waitForRender(rig.stack, t.apiKey, (await render('A script for an image without a face in it.')).body.id);
    expect(face).toMatchObject({ status: 'failed', errorClass: 'invalid_image' });

    const createdBefore = rig.did.created;
    rig.did.refuseNext(500);
    const transient = await waitForRender(rig.stack, t.apiKey, (await render('A script whose first attempt meets a passing outage at the provider.')).body.id);
    expect(transient, transient.error).toMatchObject({ status: 'completed' });
    expect(rig.did.created).toBe(createdBefore + 1);

    rig.did.failNextJob('ContentModerationError', 'The content was flagged');
    const moderated = await waitForRender(rig.stack, t.apiKey, (await render('A script that the provider refuses to render after moderation.')).body.id);
    expect(moderated).toMatchObject({ status: 'failed', errorClass: 'moderation' });
  });

  it('renders again on request after a failure, as its next attempt', async () => {
    rig.did.refuseNext(402);
    const s = 'A retried script after the account ran out of credits.';
    const failed = await waitForRender(rig.stack, t.apiKey, (await render(s)).body.id);
    expect(failed.status).toBe('failed');
    const retried = await render(s);
    expect(retried.body).toMatchObject({ id: failed.id, attempt: 2, cached: false });
    expect(await waitForRender(rig.stack, t.apiKey, failed.id)).toMatchObject({ status: 'completed', attempt: 2 });
  });
});

describe('the offline renderer', () => {
  it('renders with espeak-ng and ffmpeg when the tenant has no D-ID, passing the same checks', async () => {
    const offline = await renderTenant(rig, { offline: true });
    const created = await render('Hello from the offline renderer, no provider involved at all.', offline.apiKey, offline.avatarId);
    expect(created.body.provider).toBe('offline');
    const done = await waitForRender(rig.stack, offline.apiKey, created.body.id);
    expect(done).toMatchObject({ status: 'completed', cost: { didCredits: 0, elevenLabsCharacters: 0 } });
    expect(await probeUrl(done.outputs.mp4)).toEqual(expect.arrayContaining(['h264', 'aac']));
  });
});
