/**
 * The counts a send page returns, without a grouped scan of every recipient per page (170 ms at
 * 100,000 recipients, each page). The workflow shows them while sending and decides on them only
 * when a page found nothing due, so: an exact count then, and whenever this process's last exact
 * count of the campaign is older than RECOUNT_MS; in between, that count moved by what this
 * process's pages did since. Another worker's pages show up at the next recount.
 */
import type { CampaignCounts } from '../../core/campaigns';
import type { DueRecipient } from '../../db/repos/campaign-recipients';

const RECOUNT_MS = 2_000;

export type PageOutcome = 'sent' | 'failed' | 'opted_out' | 'deferred';

/** What one page did to its recipients: from their status to their outcome. */
export class PageTally {
  private moves: { from: DueRecipient['status']; to: PageOutcome }[] = [];

  move(from: DueRecipient['status'], to: PageOutcome): void {
    this.moves.push({ from, to });
  }

  applyTo(base: CampaignCounts): CampaignCounts {
    const c: CampaignCounts = { ...base, skipped: { ...base.skipped } };
    for (const { from, to } of this.moves) {
      c[from] -= 1;
      if (to === 'opted_out') c.skipped.opted_out += 1;
      else c[to] += 1;
    }
    return c;
  }
}

/** `recount` is the exact count; `exact` asks for it whatever the cache holds. */
export function pageCounts() {
  const last = new Map<string, { at: number; counts: CampaignCounts }>();
  return async (campaignId: string, tally: PageTally, exact: boolean, recount: () => Promise<CampaignCounts>): Promise<CampaignCounts> => {
    const cached = last.get(campaignId);
    if (exact || !cached || Date.now() - cached.at > RECOUNT_MS) {
      const counts = await recount();
      if (exact) last.delete(campaignId);
      else last.set(campaignId, { at: Date.now(), counts });
      return counts;
    }
    cached.counts = tally.applyTo(cached.counts);
    return cached.counts;
  };
}
