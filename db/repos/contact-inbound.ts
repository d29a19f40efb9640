/**
 * What a contact's inbound message changes on the contact: when they were last seen, and — on SMS
 * and WhatsApp — a STOP-like keyword opts them out of that channel (a START-like one on SMS opts
 * them back in after a keyword opt-out). Called where the message is stored (recordInbound), so
 * every channel path passes here once per message, with the contact as the statement storing the
 * message left it (last seen moved; db/repos/messages.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { keywordConfirmation, optOutKeyword, type InboundConsent, type KeywordAction } from '../../core/campaigns';
import type { Channel } from '../../core/channels';
import { optIn, optOut } from './audience';
import type { SeenContact } from './messages';

const KEYWORD_CHANNELS: readonly Channel[] = ['sms', 'whatsapp'];

/** Whether a message on `channel` can change the contact's consent (else noteContactInbound finds nothing). */
export const inboundMayChangeConsent = (channel: Channel): boolean => KEYWORD_CHANNELS.includes(channel);

/** Twilio's Advanced Opt-Out reports the keyword it acted on; it has already replied to the contact. */
const providerAction = (metadata?: Record<string, unknown>): KeywordAction | null => {
  const type = typeof metadata?.optOutType === 'string' ? metadata.optOutType.toUpperCase() : null;
  return type === 'STOP' ? 'opt_out' : type === 'START' ? 'opt_in' : null;
};

/**
 * `source` names the message, so a retried activity finds its own change and answers the same.
 * Returns undefined for an ordinary message (the flow answers it).
 */
export async function noteContactInbound(
  em: EntityManager,
  contact: SeenContact | null,
  input: { channel: Channel; text: string; messageId: string; at: Date; metadata?: Record<string, unknown> },
): Promise<InboundConsent | undefined> {
  if (!contact || !inboundMayChangeConsent(input.channel)) return undefined;
  const channel = input.channel as InboundConsent['channel'];
  const byProvider = channel === 'sms' ? providerAction(input.metadata) : null;
  const action = byProvider ?? optOutKeyword(input.text, contact.locale);
  if (!action) return undefined;
  const source = `message:${input.messageId}`;
  const how = { method: byProvider ? ('provider' as const) : ('keyword' as const), source, at: input.at };
  if (action === 'opt_out') await optOut(em, contact.id, channel, how);
  else {
    // START / YES re-subscribe SMS only, and only a contact who had opted out: a "yes" to a bot's question is an answer, not consent.
    const ownChange = contact.sms_source === source;
    if (channel !== 'sms' || (contact.sms_status !== 'opted_out' && !ownChange)) return undefined;
    await optIn(em, contact.id, channel, how);
  }
  return { action, channel, confirm: byProvider ? null : keywordConfirmation(action, contact.locale, input.text) };
}
