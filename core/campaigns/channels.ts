/**
 * The channels a campaign can start a conversation on, and the address each one needs. Declared
 * once: audiences count consent per channel, content is written per channel, the sender resolves
 * addresses by it.
 */
import type { ChannelType } from '../channels';

export const CAMPAIGN_CHANNELS = ['sms', 'whatsapp', 'email', 'messenger'] as const satisfies readonly ChannelType[];
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export const isCampaignChannel = (value: string): value is CampaignChannel => (CAMPAIGN_CHANNELS as readonly string[]).includes(value);

/** Which of a contact's addresses a channel sends to: a phone number (E.164), an email, or Messenger's page-scoped id. */
export const CHANNEL_ADDRESS: Readonly<Record<CampaignChannel, 'phone' | 'email' | 'messengerPsid'>> = {
  sms: 'phone',
  whatsapp: 'phone',
  email: 'email',
  messenger: 'messengerPsid',
};
