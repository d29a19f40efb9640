/**
 * `sendCampaignPage`: the due recipients of a campaign, as a pipeline. Chunks of the page are made
 * ready a few statements at a time (send-prepare.ts: consent, quiet hours, rendering, conversation,
 * the message stored under the recipient's idempotency key), the next chunk while this one sends;
 * up to CONCURRENCY provider calls are in flight, each after the channel's rate slot; their
 * outcomes are written in batches (messages marked, recipients finished), at the latest when the
 * page ends or stops. A message an earlier attempt stored but did not mark is sent with
 * `retryingSince`, so an adapter without idempotency keys (Twilio) finds the first send instead of
 * sending twice. Chunks are small, so a pause leaves few stored messages unsent (they are found on
 * resume); the page heartbeats per recipient and stops early when the campaign is paused.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { configuredLinkKey } from '../../campaigns/links';
import { channelLoader, type LoadedChannel } from '../../channels/directory';
import { DEFAULT_SEND_RATE_PER_SECOND, reserveSendSlot } from '../../channels/rate-limit';
import { usableZone } from '../../core/campaigns/quiet-hours';
import { publicUrl } from '../../core/config';
import type { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { dueRecipients, nextDeferred } from '../../db/repos/campaign-recipients';
import { getCampaign, recipientCounts, tenantTimezone } from '../../db/repos/campaigns';
import { finishRecipients, markMessagesFailed, markMessagesSent, type RecipientOutcome } from '../../db/repos/campaign-sends';
import { mergeThread } from '../../db/repos/channels-delivery';
import { getFlowVersion } from '../../db/repos/flows';
import { channelSends } from '../../metrics';
import { providerSend } from '../channels/send';
import { activityContext, heartbeat } from '../context';
import { Quotas } from '../../quotas/quotas';
import type { ActivityDeps } from '../deps';
import { pageCounts, PageTally } from './page-counts';
import { prepareChunk, type PageContext, type ReadySend } from './send-prepare';
import { pageVideos } from './send-video';
import type { CampaignActivities } from './types';

/** Provider calls in flight at once within a page (a limited rate paces them through its slots). */
const CONCURRENCY = 64;
/** Recipients made ready per chunk: at most this many stored messages wait unsent when a page stops. */
const CHUNK_MAX = 100;
/** Chunks being made ready at once (each a few statements on its own connection). */
const PREPARE_AHEAD = 2;
/** Outcomes written per batch while the page runs. */
const FLUSH_EVERY = 100;
/** The campaign's status is read again this often: a pause stops the page there. */
const STATUS_EVERY_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Retry = { error: string; retryAfterMs?: number };

export function sendCampaignActivities(deps: ActivityDeps): Pick<CampaignActivities, 'sendCampaignPage'> {
  const { orm, redis, config } = deps;
  const channels = channelLoader(orm, config);
  const countsAfter = pageCounts();
  const quotas = new Quotas(redis, orm, config);

  /** Waits for the channel's next send slot at `perSecond` (0: no limit), heartbeating while it waits; false when the page stopped meanwhile. */
  async function slot(channelId: string, perSecond: number, stopped: () => boolean): Promise<boolean> {
    if (perSecond <= 0) return true;
    for (;;) {
      const { reserved, waitMs } = await reserveSendSlot(redis, channelId, perSecond, 5_000);
      if (reserved) {
        for (let left = waitMs; left > 0 && !stopped(); left -= 250) await sleep(Math.min(left, 250));
        return !stopped();
      }
      heartbeat();
      await sleep(Math.min(waitMs, 5_000));
      if (stopped()) return false;
    }
  }

  /** The flow new conversations start on: the campaign's, else the channel's, at its published version (asked once per flow and page). */
  function flows(em: EntityManager, c: Campaign): PageContext['flow'] {
    const cache = new Map<string, Promise<{ flowId: string; version: number }>>();
    return (channel: LoadedChannel) => {
      const flowId = c.flowId ?? channel.row.flow;
      if (!flowId) return Promise.reject(new Error('neither the campaign nor the channel has a flow to answer replies'));
      let found = cache.get(flowId);
      if (!found) {
        found = getFlowVersion(em, flowId).then((version) => {
          if (!version) throw new Error(`the flow ${flowId} has no published version`);
          return { flowId, version: version.version };
        });
        cache.set(flowId, found);
      }
      return found;
    };
  }

  return {
    async sendCampaignPage({ tenantId, campaignId, limit, ratePerSecond }) {
      const em = tenantEm(orm, tenantId);
      const c = await getCampaign(em, campaignId);
      // Today's campaign sends (the tenant's quota, across campaigns and workers): the page takes what is
      // left; with none left and recipients waiting, the workflow sleeps durably until the next UTC day.
      const today = c.status === 'sending' ? await quotas.reserveCampaignSends(tenantId, limit) : { granted: 0, resetsAt: null };
      if (c.status === 'sending' && today.granted === 0) {
        const counts = await recipientCounts(em, campaignId);
        if (counts.pending > 0) {
          activityContext()?.log.info('campaign sends quota reached: waiting for the next day', { tenantId, campaignId, resumesAt: today.resetsAt?.toISOString() });
          return { claimed: 0, counts, nextSendAfter: today.resetsAt!.toISOString() };
        }
      }
      const due = today.granted > 0 ? await dueRecipients(em, campaignId, today.granted) : [];
      let sentCount = 0;
      const ctx: PageContext = {
        campaign: c,
        zone: usableZone(c.timezone, await tenantTimezone(em, tenantId)),
        publicUrl: publicUrl(config),
        linkKey: configuredLinkKey(config),
        channel: (id) => channels.get(id),
        flow: flows(em, c),
        tally: new PageTally(),
        video: pageVideos(deps, tenantId, c.name),
      };
      const chunkSize = Math.min(CHUNK_MAX, Math.max(16, Math.ceil(due.length / 4)));
      let stop = false;
      const stopped = () => stop;
      let failure: unknown = null;
      let retry: Retry | null = null;
      let done = 0;
      let checkedAt = Date.now();

      // Made ready chunk by chunk, up to PREPARE_AHEAD chunks at once while the ready ones send.
      const ready: ReadySend[] = [];
      let prepared = 0;
      const preparing = new Set<Promise<void>>();
      const prepareAhead = () => {
        while (ready.length < chunkSize && preparing.size < PREPARE_AHEAD && prepared < due.length && !stop) {
          const chunk = due.slice(prepared, prepared + chunkSize);
          prepared += chunk.length;
          const p: Promise<void> = prepareChunk(em, ctx, chunk).then((out) => {
            ready.push(...out.ready);
            for (let i = 0; i < out.settled; i++) heartbeat(++done);
          }).finally(() => preparing.delete(p));
          preparing.add(p);
          // Awaited by the workers that wait for it; a failure reaches them, never the process.
          p.catch(() => undefined);
        }
      };

      // Outcomes written in order, a batch at a time.
      let sent: { messageId: string; channelId: string; providerMessageId: string }[] = [];
      let refused: { messageId: string; channelId: string; error: string }[] = [];
      let finished: RecipientOutcome[] = [];
      let writing: Promise<void> = Promise.resolve();
      const flush = () => {
        const batch = { sent, refused, finished };
        sent = [];
        refused = [];
        finished = [];
        writing = writing.then(async () => {
          await markMessagesSent(em, tenantId, batch.sent);
          await markMessagesFailed(em, tenantId, batch.refused);
          await finishRecipients(em, tenantId, batch.finished);
        });
        return writing;
      };

      const sendOne = async (s: ReadySend) => {
        const r = s.recipient;
        const rate = ratePerSecond[r.channel] ?? (s.channel.config.settings as { sendRatePerSecond?: number }).sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND;
        // Paused while waiting for the slot: the row stays due (its stored message is found on resume).
        if (!(await slot(r.channelId, rate, stopped))) return;
        const result = await providerSend(em, s.channel, s.stored.id, s.message, {
          idempotencyKey: r.idempotencyKey,
          contactAddress: r.address,
          thread: s.conversation.thread,
          lastInboundAt: s.lastInboundAt,
          ...(s.stored.existed ? { retryingSince: s.stored.createdAt.toISOString() } : {}),
        });
        if (result.ok) {
          sentCount++;
          if (result.thread && Object.keys(result.thread).length) await mergeThread(em, s.conversation.id, result.thread);
          sent.push({ messageId: s.stored.id, channelId: r.channelId, providerMessageId: result.providerMessageId });
          finished.push({ id: r.id, status: 'sent', conversationId: s.conversation.id, messageId: s.stored.id });
          ctx.tally.move(r.status, 'sent');
          channelSends.inc({ channel: r.channel, outcome: 'sent' });
        } else if (result.retryable) {
          retry ??= { error: result.error, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
          stop = true;
          return;
        } else {
          channelSends.inc({ channel: r.channel, outcome: 'failed' });
          refused.push({ messageId: s.stored.id, channelId: r.channelId, error: result.error });
          finished.push({ id: r.id, status: 'failed', conversationId: s.conversation.id, messageId: s.stored.id, error: result.error });
          ctx.tally.move(r.status, 'failed');
        }
        heartbeat(++done);
        if (finished.length >= FLUSH_EVERY) await flush();
      };

      const worker = async () => {
        try {
          while (!stop) {
            prepareAhead();
            const s = ready.shift();
            if (!s) {
              if (!preparing.size) return;
              await Promise.race(preparing);
              continue;
            }
            await sendOne(s);
            if (!stop && Date.now() - checkedAt > STATUS_EVERY_MS) {
              checkedAt = Date.now();
              if ((await getCampaign(em.fork(), campaignId)).status !== 'sending') stop = true;
            }
          }
        } catch (err) {
          failure ??= err;
          stop = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
      await Promise.allSettled(preparing);
      // What the page reserved and did not send (consent, quiet hours, refusals, a stop) goes back to today's quota.
      await quotas.returnCampaignSends(tenantId, today.granted - sentCount);
      // What was sent is written before anything else happens, whatever stopped the page.
      await flush();
      if (failure) throw failure;
      // The provider asked to slow down or failed for a moment: the page runs again later (sent rows are done).
      if (retry) throw ApplicationFailure.create({ message: (retry as Retry).error, type: 'ProviderRetryable', nextRetryDelay: (retry as Retry).retryAfterMs });
      const counts = await countsAfter(campaignId, ctx.tally, done === 0, () => recipientCounts(em, campaignId));
      const deferredAt = done === 0 && counts.deferred > 0 ? await nextDeferred(em, campaignId) : null;
      return { claimed: done, counts, nextSendAfter: deferredAt?.toISOString() ?? null };
    },
  };
}
