/**
 * One contact of an audience as a campaign sees it, and whether a channel may carry campaign
 * content to them. Pure: the materializer and the counts apply the same rule.
 */
import { CHANNEL_ADDRESS, type CampaignChannel } from './channels';
import type { ConsentStatus, SkipReason } from './consent';

export interface AudienceRow {
  contactId: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  messengerPsid: string | null;
  timezone: string | null;
  locale: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  consent: Partial<Record<CampaignChannel, ConsentStatus>>;
}

export function addressFor(row: Pick<AudienceRow, 'phone' | 'email' | 'messengerPsid'>, channel: CampaignChannel): string | null {
  const value = row[CHANNEL_ADDRESS[channel]];
  return value && value.trim() ? value : null;
}

export type Eligibility = { ok: true; address: string } | { ok: false; reason: SkipReason };

/** An opt-out wins over everything; then an address is needed; then an explicit opt-in. */
export function eligibility(row: Pick<AudienceRow, 'phone' | 'email' | 'messengerPsid' | 'consent'>, channel: CampaignChannel): Eligibility {
  const consent = row.consent[channel];
  if (consent === 'opted_out') return { ok: false, reason: 'opted_out' };
  const address = addressFor(row, channel);
  if (!address) return { ok: false, reason: 'no_address' };
  if (consent !== 'opted_in') return { ok: false, reason: 'no_consent' };
  return { ok: true, address };
}
