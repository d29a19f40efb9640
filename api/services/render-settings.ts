/**
 * The tenant's own ElevenLabs and D-ID accounts, the provider-settings way (api/services/
 * provider-settings.ts): keys encrypted at rest, never shown, kept only for the stored base URL,
 * and a connection test that makes one cheap call (the voice list; the credit balance).
 */
import { z } from 'zod';
import { text } from '../../core/api/common';
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import type { TenantSettings } from '../../db/entities';
import { configPolicy } from '../../net/address-policy';
import { didRemainingCredits } from '../../renders/d-id';
import { elevenLabsVoices } from '../../renders/elevenlabs';
import { endpointView, keptKey, testEndpoint, timedTest } from './provider-settings';

const baseURL = z.url({ message: 'baseURL must be a URL', protocol: /^https?$/ });
const apiKey = text().max(4000).optional();
export const elevenLabsSettingsBody = z.object({ baseURL: baseURL.default('https://api.elevenlabs.io'), model: text().trim().min(1).max(100).default('eleven_multilingual_v2'), apiKey });
export const didSettingsBody = z.object({ baseURL: baseURL.default('https://api.d-id.com'), apiKey });
export const renderProviderView = z.object({ configured: z.boolean(), baseURL: z.string().optional(), model: z.string().optional(), apiKeySet: z.boolean() });

type ElevenLabs = NonNullable<TenantSettings['elevenlabs']>;
type Did = NonNullable<TenantSettings['did']>;

export const elevenLabsView = (s: ElevenLabs | undefined) => (s ? { configured: true, ...endpointView(s) } : { configured: false, apiKeySet: false });
export const didView = (s: Did | undefined) => (s ? { configured: true, baseURL: s.baseURL, apiKeySet: !!s.apiKeyEncrypted } : { configured: false, apiKeySet: false });

export function mergeElevenLabs(config: Config, current: ElevenLabs | undefined, body: z.infer<typeof elevenLabsSettingsBody>): ElevenLabs {
  return { baseURL: body.baseURL, model: body.model, apiKeyEncrypted: keptKey(config, body.apiKey, current, 'apiKey', body.baseURL) };
}
export function mergeDid(config: Config, current: Did | undefined, body: z.infer<typeof didSettingsBody>): Did {
  return { baseURL: body.baseURL, apiKeyEncrypted: keptKey(config, body.apiKey, current && { ...current, model: '' }, 'apiKey', body.baseURL) };
}

export async function testElevenLabs(config: Config, current: ElevenLabs | undefined, form: Partial<z.infer<typeof elevenLabsSettingsBody>>) {
  const e = testEndpoint(config, current, { ...form, model: form.model ?? current?.model ?? 'eleven_multilingual_v2' }, 'ElevenLabs account');
  return timedTest(e.baseURL, async () => `${(await elevenLabsVoices({ ...e, modelId: e.model })).length} voices available`);
}

export async function testDid(config: Config, current: Did | undefined, form: Partial<z.infer<typeof didSettingsBody>>) {
  if (!form.baseURL && !current) throw new AppError('bad_request', 'no D-ID account is configured: send baseURL and apiKey', { field: 'baseURL' });
  const e = testEndpoint(config, current && { ...current, model: '' }, { ...form, model: '-' }, 'D-ID account');
  return timedTest(e.baseURL, async () => `${(await didRemainingCredits({ ...e, policy: configPolicy(config) })).remaining} credits remaining`);
}
