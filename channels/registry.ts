/**
 * Channel type → adapter: a complete `Record` over the adapter rows of the channel table
 * (`core/channels.ts`), so a channel without its adapter does not compile. An entry is an adapter,
 * or a factory given the configuration (provider base URLs, e.g. META_GRAPH_URL) and the guarded
 * `fetch` (net/guarded-fetch.ts: the deployment's address policy on every hop); each adapter is
 * built once per configuration.
 */
import { isChannelType, type ChannelType } from '../core/channels';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { configPolicy } from '../net/address-policy';
import { DEFAULT_MAX_BYTES, guardedFetcher } from '../net/guarded-fetch';
import { emailAdapter } from './email/adapter';
import { messengerAdapter } from './messenger';
import { twilioAdapter } from './twilio/adapter';
import type { AdapterEnv, ChannelAdapter } from './types';
import { webchatAdapter } from './webchat/adapter';
import { whatsappAdapter } from './whatsapp';
import { voiceAdapter } from './voice/adapter';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = ChannelAdapter<any, any>;

/** The environment adapters are built with: every request they make goes through the address policy. */
export const adapterEnv = (config: Config): AdapterEnv => ({
  config,
  // Attachments keep their own, finer cap (media.ts readCapped); this one never cuts them first.
  fetch: guardedFetcher({ policy: configPolicy(config), maxBytes: Math.max(DEFAULT_MAX_BYTES, config.CHANNEL_MEDIA_MAX_BYTES + 1) }),
});
type Entry = AnyAdapter | ((env: AdapterEnv) => AnyAdapter);

const ADAPTERS: Record<ChannelType, Entry> = {
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  webchat: webchatAdapter,
  sms: twilioAdapter,
  email: emailAdapter,
  voice: voiceAdapter,
};

const built = new WeakMap<Config, Map<ChannelType, AnyAdapter>>();

/** The adapter for `type`; a 400 naming `type` when there is none. */
export function adapterFor(type: string, config: Config): AnyAdapter {
  if (!isChannelType(type)) {
    throw new AppError('bad_request', `no channel adapter for type "${type}"`, { field: 'type' });
  }
  let cache = built.get(config);
  if (!cache) built.set(config, (cache = new Map()));
  let adapter = cache.get(type);
  if (!adapter) {
    const entry = ADAPTERS[type];
    adapter = typeof entry === 'function' ? entry(adapterEnv(config)) : entry;
    cache.set(type, adapter);
  }
  return adapter;
}
