/**
 * Channel facts that workflows and activities share. Channels whose replies leave through a
 * provider (the `sendChannelMessage` activity); `webchat` and `api` deliver by storing and publishing.
 */
export const EXTERNAL_CHANNELS: readonly string[] = ['whatsapp', 'messenger', 'sms', 'email'];

export const isExternalChannel = (channel: string) => EXTERNAL_CHANNELS.includes(channel);

/** How many recent inbound provider ids a conversation remembers to ignore redeliveries. */
export const SEEN_EXTERNAL_IDS = 200;

/** sendChannelMessage's attempts (workflows/flow/activities.ts): the last one marks the message failed. */
export const SEND_MAX_ATTEMPTS = 8;
