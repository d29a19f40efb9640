/**
 * Channel type → adapter. An entry is an adapter, or a factory given the configuration (provider
 * base URLs, e.g. META_GRAPH_URL) and the guarded `fetch` (net/guarded-fetch.ts: the deployment's
 * address policy on every hop); each adapter is built once per configuration.
 */
import type { Config } from '../../core/config';
import { configPolicy } from '../../net/address-policy';
import { DEFAULT_MAX_BYTES, guardedFetcher } from '../../net/guarded-fetch';
import { AppError } from '../../core/errors';
import { messengerAdapter } from './messenger';
import { emailAdapter } from './email/adapter';
import { twilioAdapter } from './twilio/adapter';
import { CHANNEL_TYPES, type ChannelAdapter, type ChannelType } from './types';
import { webchatAdapter } from './webchat/adapter';
import { whatsappAdapter } from './whatsapp';

export { EXTERNAL_CHANNELS, isExternalChannel } from '../../core/channels';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = ChannelAdapter<any, any>;
/** What adapter factories are given: the configuration (provider base URLs) and the guarded `fetch`. */
export interface AdapterEnv {
  config: Config;
  fetch: typeof fetch;
}

/** The environment adapters are built with: every request they make goes through the address policy. */
export const adapterEnv = (config: Config): AdapterEnv => ({
  config,
  // Attachments keep their own, finer cap (media.ts readCapped); this one never cuts them first.
  fetch: guardedFetcher({ policy: configPolicy(config), maxBytes: Math.max(DEFAULT_MAX_BYTES, config.CHANNEL_MEDIA_MAX_BYTES + 1) }),
});
type Entry = AnyAdapter | ((env: AdapterEnv) => AnyAdapter);

const ADAPTERS: Partial<Record<ChannelType, Entry>> = {
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  webchat: webchatAdapter,
  sms: twilioAdapter,
  email: emailAdapter,
};

const built = new WeakMap<Config, Map<ChannelType, AnyAdapter>>();

export function isChannelType(type: string): type is ChannelType {
  return (CHANNEL_TYPES as readonly string[]).includes(type);
}

export function hasAdapter(type: string): boolean {
  return isChannelType(type) && ADAPTERS[type] !== undefined;
}

/** The adapter for `type`; a 400 naming `type` when there is none. */
export function adapterFor(type: string, config: Config): AnyAdapter {
  if (!isChannelType(type) || !ADAPTERS[type]) {
    throw new AppError('bad_request', `no channel adapter for type "${type}"`, { field: 'type' });
  }
  let cache = built.get(config);
  if (!cache) built.set(config, (cache = new Map()));
  let adapter = cache.get(type);
  if (!adapter) {
    const entry = ADAPTERS[type]!;
    adapter = typeof entry === 'function' ? entry(adapterEnv(config)) : entry;
    cache.set(type, adapter);
  }
  return adapter;
}
