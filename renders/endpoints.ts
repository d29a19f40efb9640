/**
 * Which ElevenLabs and D-ID accounts a tenant's renders use: the tenant's own (settings, key
 * encrypted at rest), else the operator's (ELEVENLABS_*, DID_*), else none, and then the offline
 * voice (espeak-ng) and the offline renderer take over. A tenant's base URL is held to the
 * address policy on every connection; the operator's own host is trusted as configured.
 */
import type { Config } from '../core/config';
import type { TenantSettings } from '../db/entities';
import { configPolicy, type AddressPolicy } from '../net/address-policy';

export interface ProviderEndpoint {
  baseURL: string;
  apiKey: string;
  policy: AddressPolicy;
}
export interface SpeechEndpoint extends ProviderEndpoint {
  modelId: string;
}

/** The operator's endpoint: its host is allowed even when private (a self-hosted gateway, a test fake). */
const operatorPolicy = (config: Config, baseURL: string): AddressPolicy => ({
  allowedPrivate: [...config.OUTBOUND_ALLOWED_PRIVATE, new URL(baseURL).hostname],
});

export function speechEndpoint(config: Config, settings: TenantSettings, decrypt: (s: string) => string): SpeechEndpoint | null {
  const own = settings.elevenlabs;
  if (own) return { baseURL: own.baseURL, apiKey: decrypt(own.apiKeyEncrypted), modelId: own.model || config.ELEVENLABS_MODEL_ID, policy: configPolicy(config) };
  if (!config.ELEVENLABS_API_KEY) return null;
  return { baseURL: config.ELEVENLABS_API_URL, apiKey: config.ELEVENLABS_API_KEY, modelId: config.ELEVENLABS_MODEL_ID, policy: operatorPolicy(config, config.ELEVENLABS_API_URL) };
}

export function didEndpoint(config: Config, settings: TenantSettings, decrypt: (s: string) => string): ProviderEndpoint | null {
  const own = settings.did;
  if (own) return { baseURL: own.baseURL, apiKey: decrypt(own.apiKeyEncrypted), policy: configPolicy(config) };
  if (!config.DID_API_KEY) return null;
  return { baseURL: config.DID_API_URL, apiKey: config.DID_API_KEY, policy: operatorPolicy(config, config.DID_API_URL) };
}
