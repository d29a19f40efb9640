/**
 * A campaign's progress and its per-recipient CSV rows. Progress is the run's own answer (the
 * `progress` query); once the run is gone from Temporal (retention) the same counters are read
 * from the recipients, so a finished campaign still shows its figures.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignStateDto, RECIPIENT_CSV_COLUMNS } from '../../core/api/campaigns';
import type { Campaign } from '../../db/entities';
import { recipientCounts, type RecipientResultRow } from '../../db/repos';
import type { CampaignClient } from '../../temporal/campaigns';
import { iso } from './serialize';

export async function campaignProgress(em: EntityManager, runs: CampaignClient, campaign: Campaign): Promise<CampaignStateDto> {
  const live = await runs.campaignProgress(campaign.tenant, campaign.id);
  if (live) return live;
  const counts = await recipientCounts(em, campaign.id);
  return {
    status: campaign.status,
    stage: campaign.status,
    targeted: counts.targeted,
    materialized: counts.materialized,
    sent: counts.sent,
    failed: counts.failed,
    skipped: counts.skipped,
    deferred: counts.deferred,
    pending: counts.pending,
    paused: campaign.status === 'paused',
    winnerVariant: campaign.winnerVariant ?? null,
    sendAt: iso(campaign.sendAt),
    updatedAt: iso(campaign.updatedAt)!,
  };
}

/**
 * A cell a spreadsheet will not run: text starting with = + - @ or a control character is a
 * formula to Excel and LibreOffice (a contact named "=HYPERLINK(…)"), so it is prefixed with an
 * apostrophe. A plain number such as an E.164 phone (+4915…) is data, not a formula: left as is.
 */
export function csvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

export function recipientCsvRow(r: RecipientResultRow): Record<(typeof RECIPIENT_CSV_COLUMNS)[number], string> {
  const at = (d: Date | null) => iso(d) ?? '';
  return {
    contactId: r.contactId,
    name: r.name ?? '',
    channel: r.channel ?? '',
    address: r.address ?? '',
    variant: r.variant ?? '',
    status: r.status,
    skipReason: r.skipReason ?? '',
    error: r.error ?? '',
    sentAt: at(r.sentAt),
    deliveredAt: at(r.deliveredAt),
    readAt: at(r.readAt),
    failedAt: at(r.failedAt),
    repliedAt: at(r.repliedAt),
    clickedAt: at(r.clickedAt),
    optedOutAt: at(r.optedOutAt),
  };
}
