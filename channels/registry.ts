/**
 * Channel type → adapter: a complete `Record` over the adapter rows of the channel table
 * (`core/channels.ts`), so a channel without its adapter does not compile. An entry is an adapter,
 * or a factory given the configuration (provider base URLs, e.g. META_GRAPH_URL) and `fetch`;
 * each adapter is built once per configuration.
 */
import { isChannelType, type ChannelType } from '../core/channels';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { emailAdapter } from './email/adapter';
import { messengerAdapter } from './messenger';
import { twilioAdapter } from './twilio/adapter';
import type { AdapterEnv, ChannelAdapter } from './types';
import { webchatAdapter } from './webchat/adapter';
import { whatsappAdapter } from './whatsapp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = ChannelAdapter<any, any>;
type Entry = AnyAdapter | ((env: AdapterEnv) => AnyAdapter);

const ADAPTERS: Record<ChannelType, Entry> = {
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  webchat: webchatAdapter,
  sms: twilioAdapter,
  email: emailAdapter,
};

const built = new WeakMap<Config, Map<ChannelType, AnyAdapter>>();

/** The adapter for `type`; a 400 naming `type` when there is none. */
export function adapterFor(type: string, config: Config, fetchImpl: typeof fetch = fetch): AnyAdapter {
  if (!isChannelType(type)) {
    throw new AppError('bad_request', `no channel adapter for type "${type}"`, { field: 'type' });
  }
  let cache = built.get(config);
  if (!cache) built.set(config, (cache = new Map()));
  let adapter = cache.get(type);
  if (!adapter) {
    const entry = ADAPTERS[type];
    adapter = typeof entry === 'function' ? entry({ config, fetch: fetchImpl }) : entry;
    cache.set(type, adapter);
  }
  return adapter;
}
