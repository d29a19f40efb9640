/**
 * One step of a campaign that is sending: a page of materialization, a page of sends, or a durable
 * wait (deferred recipients' quiet hours, the A/B test's wait). Each step is short, so the loop
 * sees a pause, a cancel or a new rate before the next one.
 */
import { condition } from '@temporalio/workflow';
import type { CampaignChannel } from '../../core/campaigns';
import type { CampaignSession } from './campaign-session';

/** Contacts read per materialization page. */
export const MATERIALIZE_PAGE = 1000;
/** Recipients per send page at an unlimited rate: about a second of sends; a pause stops a page within half a second. */
export const SEND_PAGE_MAX = 1000;
/** Seconds of sends a page holds at a limited rate: a pause waits for at most this. */
const PAGE_SECONDS = 3;

/** Channel rate when the campaign says nothing: the channel's own (sendRatePerSecond, default 20/s). 0 = unlimited. */
export function sendPageSize(rates: Partial<Record<CampaignChannel, number>>): number {
  const limited = Object.values(rates).filter((r): r is number => typeof r === 'number' && r > 0);
  if (!limited.length) return SEND_PAGE_MAX;
  return Math.max(1, Math.min(SEND_PAGE_MAX, Math.floor(Math.min(...limited) * PAGE_SECONDS)));
}

/** Sleeps until `at` (ISO) or until something changes; true when the time came. */
async function sleepUntil(s: CampaignSession, at: string): Promise<boolean> {
  const generation = s.generation;
  const woke = await condition(() => s.generation !== generation, Math.max(1, Date.parse(at) - Date.now()));
  return !woke;
}

export async function sendingStep(s: CampaignSession): Promise<void> {
  if (s.phase === 'idle') s.phase = 'materialize';
  if (s.phase === 'materialize') {
    const page = await s.activities.call('@materialize', 'materializeCampaignPage', { ...s.ref, afterContactId: s.afterContactId, limit: MATERIALIZE_PAGE });
    s.afterContactId = page.afterContactId;
    s.setCounts(page.counts);
    if (page.done) s.phase = 'send';
    return;
  }
  if (s.phase === 'abWait') {
    if (s.abDecideAt && !(await sleepUntil(s, s.abDecideAt))) return;
    const decided = await s.activities.call('@winner', 'decideCampaignWinner', s.ref);
    s.winnerVariant = decided.winnerVariant;
    s.setCounts(decided.counts);
    s.phase = 'send';
    return;
  }
  const page = await s.activities.call('@send', 'sendCampaignPage', { ...s.ref, limit: sendPageSize(s.ratePerSecond), ratePerSecond: s.ratePerSecond });
  s.setCounts(page.counts);
  if (page.claimed > 0) return;
  if (page.nextSendAfter) {
    await sleepUntil(s, page.nextSendAfter);
    return;
  }
  if (page.counts.held > 0 && !s.winnerVariant) {
    s.phase = 'abWait';
    s.abDecideAt = new Date(Date.now() + (s.abWaitMinutes ?? 0) * 60_000).toISOString();
    return;
  }
  if (page.counts.pending === 0 && page.counts.deferred === 0) {
    s.phase = 'done';
    await s.step('complete');
  }
}
