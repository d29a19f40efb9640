/**
 * The channel table: every channel a conversation can run on, once. `adapter`: a provider adapter
 * in `channels/` handles its webhooks and settings (the registry there is a complete `Record` over
 * these, so the compiler checks each has one). `external`: replies leave through the provider (the
 * `sendChannelMessage` activity); the others deliver by storing and publishing. `api` is plain REST,
 * `voice` the IVR's.
 */
export const CHANNEL_TABLE = {
  api: { adapter: false, external: false },
  webchat: { adapter: true, external: false },
  whatsapp: { adapter: true, external: true },
  messenger: { adapter: true, external: true },
  sms: { adapter: true, external: true },
  email: { adapter: true, external: true },
  voice: { adapter: true, external: false },
} as const satisfies Record<string, { adapter: boolean; external: boolean }>;

type Table = typeof CHANNEL_TABLE;
export type Channel = keyof Table;
/** Channels that have an adapter in `channels/`. */
export type ChannelType = { [K in Channel]: Table[K]['adapter'] extends true ? K : never }[Channel];

const channels = Object.keys(CHANNEL_TABLE) as Channel[];
export const CHANNELS = channels as readonly Channel[] as [Channel, ...Channel[]];
export const CHANNEL_TYPES = channels.filter((c) => CHANNEL_TABLE[c].adapter) as ChannelType[] as [ChannelType, ...ChannelType[]];
export const EXTERNAL_CHANNELS: readonly Channel[] = channels.filter((c) => CHANNEL_TABLE[c].external);

export const isChannel = (value: string): value is Channel => Object.hasOwn(CHANNEL_TABLE, value);
export const isChannelType = (value: string): value is ChannelType => isChannel(value) && CHANNEL_TABLE[value].adapter;
export const isExternalChannel = (channel: string) => isChannel(channel) && CHANNEL_TABLE[channel].external;

/** How many recent inbound provider ids a conversation remembers to ignore redeliveries. */
export const SEEN_EXTERNAL_IDS = 200;

/** sendChannelMessage's attempts (workflows/flow/activities.ts): the last one marks the message failed. */
export const SEND_MAX_ATTEMPTS = 8;
