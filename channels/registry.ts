/**
 * Channel type → adapter. An entry is an adapter, or a factory given the configuration (provider
 * base URLs, e.g. META_GRAPH_URL) and `fetch`; each adapter is built once per configuration.
 */
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { messengerAdapter } from './messenger';
import { emailAdapter } from './email/adapter';
import { twilioAdapter } from './twilio/adapter';
import { CHANNEL_TYPES, type ChannelAdapter, type ChannelType } from './types';
import { webchatAdapter } from './webchat/adapter';
import { whatsappAdapter } from './whatsapp';

export { EXTERNAL_CHANNELS, isExternalChannel } from '../core/channels';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = ChannelAdapter<any, any>;
/** What adapter factories are given: the configuration (provider base URLs) and `fetch`. */
export interface AdapterEnv {
  config: Config;
  fetch: typeof fetch;
}
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
export function adapterFor(type: string, config: Config, fetchImpl: typeof fetch = fetch): AnyAdapter {
  if (!isChannelType(type) || !ADAPTERS[type]) {
    throw new AppError('bad_request', `no channel adapter for type "${type}"`, { field: 'type' });
  }
  let cache = built.get(config);
  if (!cache) built.set(config, (cache = new Map()));
  let adapter = cache.get(type);
  if (!adapter) {
    const entry = ADAPTERS[type]!;
    adapter = typeof entry === 'function' ? entry({ config, fetch: fetchImpl }) : entry;
    cache.set(type, adapter);
  }
  return adapter;
}
