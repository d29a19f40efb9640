/**
 * The render rig: the fake ElevenLabs and D-ID servers and a stack whose PUBLIC_URL is its real
 * address (D-ID fetches the presenter image and the speech from signed media URLs, as it would in
 * production). Tenants opt into D-ID through their own settings; without, they render offline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDid, type FakeDid } from '../fakes/d-id-server';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { freePort } from '../support/ports';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { presenterImage } from './media-fixtures';

export interface RenderRig {
  stack: Stack;
  did: FakeDid;
  eleven: FakeElevenLabs;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startRenderRig(opts: { renderMs?: number; worker?: boolean; pollSeconds?: number } = {}): Promise<RenderRig> {
  const [did, eleven, port, mediaDir] = await Promise.all([
    startFakeDid({ apiKey: 'user:secret', renderMs: opts.renderMs ?? 1500 }),
    startFakeElevenLabs({ apiKey: 'xi-test' }),
    freePort(),
    mkdtemp(join(tmpdir(), 'render-media-')),
  ]);
  const env = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    MEDIA_DIR: mediaDir,
    OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1',
    ELEVENLABS_API_URL: eleven.url,
    ELEVENLABS_API_KEY: 'xi-test',
    DID_POLL_SECONDS: String(opts.pollSeconds ?? 30),
  };
  const stack = await startStack({ ...sharedServers(), worker: opts.worker ?? true, env });
  return {
    stack,
    did,
    eleven,
    env,
    close: async () => {
      await stack.close();
      await Promise.all([did.close(), eleven.close()]);
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** A tenant with a voice profile (ElevenLabs Rachel), an avatar from an uploaded image and, unless `offline`, its own D-ID account. */
export async function renderTenant(rig: RenderRig, opts: { offline?: boolean } = {}) {
  const { apiKey, tenantId } = await rig.stack.createTenant();
  if (!opts.offline) {
    const set = await rig.stack.request('PUT', '/v1/settings/did', { apiKey, body: { baseURL: rig.did.url, apiKey: 'user:secret' } });
    if (set.status !== 200) throw new Error(`D-ID settings: ${JSON.stringify(set.body)}`);
  }
  const voice = await rig.stack.request('POST', '/v1/voices', { apiKey, body: opts.offline ? { name: 'Offline', provider: 'espeak', voiceId: 'en-us' } : { name: 'Rachel', provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id, settings: { stability: 0.5 } } });
  const avatar = await rig.stack.request('POST', '/v1/avatars', { apiKey, body: { name: 'Chef', image: (await presenterImage()).toString('base64'), voiceProfileId: voice.body.id, aspectRatio: '1:1' } });
  if (avatar.status !== 201) throw new Error(`avatar: ${JSON.stringify(avatar.body)}`);
  return { apiKey, tenantId, voiceId: voice.body.id as string, avatarId: avatar.body.id as string };
}

export async function waitForRender(stack: Stack, apiKey: string, id: string, timeoutMs = 90_000) {
  let last: any;
  await waitUntil(async () => {
    last = (await stack.request('GET', `/v1/videos/${id}`, { apiKey })).body;
    return last.status !== 'running';
  }, timeoutMs, `render ${id} to finish`);
  return last;
}
