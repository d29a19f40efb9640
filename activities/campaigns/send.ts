/**
 * `sendCampaignPage`: the due recipients of a campaign, a few at a time. Each is checked against
 * its consent now (an opt-out since materialization is honoured) and its quiet hours (deferred to
 * the window's end in its timezone), rendered (tracked links, personalization), stored in the
 * contact's conversation under the recipient's idempotency key, and sent through the channel's
 * adapter at the campaign's rate. A message an earlier attempt stored but did not mark is sent with
 * `retryingSince`, so an adapter without idempotency keys (Twilio) finds the first send instead of
 * sending twice. The page heartbeats per recipient and stops early when the campaign is paused.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { configuredLinkKey, recipientLinks } from '../../campaigns/links';
import { renderForRecipient } from '../../campaigns/render';
import { channelLoader, type LoadedChannel } from '../../channels/directory';
import { DEFAULT_SEND_RATE_PER_SECOND, reserveSendSlot } from '../../channels/rate-limit';
import { insideWindow } from '../../channels/whatsapp';
import type { CampaignChannel } from '../../core/campaigns';
import { quietUntil, usableZone } from '../../core/campaigns/quiet-hours';
import { publicUrl } from '../../core/config';
import type { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { campaignConversation, deferRecipient, dueRecipients, finishRecipient, nextDeferred, skipOptedOut, storeCampaignMessage, type DueRecipient } from '../../db/repos/campaign-recipients';
import { getCampaign, recipientCounts, tenantTimezone } from '../../db/repos/campaigns';
import { markSendFailed, markSent, mergeThread } from '../../db/repos/channels-delivery';
import { getFlowVersion } from '../../db/repos/flows';
import { channelSends } from '../../metrics';
import { providerSend } from '../channels/send';
import { heartbeat } from '../context';
import type { ActivityDeps } from '../deps';
import type { CampaignActivities } from './types';

/** Recipients in flight at once within a page. */
const CONCURRENCY = 16;
/** The campaign's status is read again this often: a pause stops the page there. */
const STATUS_EVERY_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = { kind: 'done' } | { kind: 'stopped' } | { kind: 'retry'; error: string; retryAfterMs?: number };

export function sendCampaignActivities({ orm, redis, config }: ActivityDeps): Pick<CampaignActivities, 'sendCampaignPage'> {
  const channels = channelLoader(orm, config);

  /** Waits for the channel's next send slot at `perSecond` (0: no limit), heartbeating while it waits. */
  async function slot(channelId: string, perSecond: number): Promise<void> {
    if (perSecond <= 0) return;
    for (;;) {
      const { reserved, waitMs } = await reserveSendSlot(redis, channelId, perSecond, 5_000);
      if (reserved) {
        if (waitMs > 0) await sleep(waitMs);
        return;
      }
      heartbeat();
      await sleep(Math.min(waitMs, 5_000));
    }
  }

  /** The flow new conversations start on: the campaign's, else the channel's, at its published version (asked once per flow and page). */
  function flowFor(em: EntityManager, c: Campaign, channel: LoadedChannel, cache: Map<string, Promise<{ flowId: string; version: number }>>) {
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
  }

  async function sendOne(em: EntityManager, c: Campaign, r: DueRecipient, ctx: { zone: string; rates: Partial<Record<CampaignChannel, number>>; key: Buffer; stopped: () => boolean; flows: Map<string, Promise<{ flowId: string; version: number }>> }): Promise<Outcome> {
    const fail = async (error: string, conversationId: string | null = null, messageId: string | null = null) => {
      await finishRecipient(em, r.id, { status: 'failed', conversationId, messageId, error });
      return { kind: 'done' } as const;
    };
    if (r.optedOut) {
      await skipOptedOut(em, r.id);
      return { kind: 'done' };
    }
    if (c.quietHours) {
      const until = quietUntil(new Date(), usableZone(r.timezone, ctx.zone), c.quietHours);
      if (until) {
        await deferRecipient(em, r.id, until);
        return { kind: 'done' };
      }
    }
    const variant = c.variants.find((v) => v.id === r.variant) ?? c.variants[0];
    const links = recipientLinks(publicUrl(config), ctx.key, r.id);
    const rendered = variant && renderForRecipient(variant.content, r.channel, r, c.name, links);
    if (!rendered) return fail(`variant ${r.variant ?? '?'} has no ${r.channel} content`);
    const channel = await channels.get(r.channelId);
    if (!channel) return fail('the channel is gone (deleted?)');
    let conversation;
    try {
      conversation = await campaignConversation(em, c.tenant, { channelId: r.channelId, channelType: r.channel, threadKey: r.address, contactId: r.contactId }, () => flowFor(em, c, channel, ctx.flows));
    } catch (err) {
      if (err instanceof Error && /flow/.test(err.message)) return fail(err.message);
      throw err;
    }
    const lastInboundAt = conversation.lastInboundAt?.toISOString() ?? null;
    // Inside WhatsApp's 24-hour window the session text goes; outside it only the template can.
    const rich = r.channel === 'whatsapp' && insideWindow(lastInboundAt) ? { ...rendered.rich, template: undefined } : rendered.rich;
    const stored = await storeCampaignMessage(em, c.tenant, {
      conversationId: conversation.id,
      key: r.idempotencyKey,
      text: rendered.text,
      channelId: r.channelId,
      metadata: { campaignId: c.id, recipientId: r.id, variant: variant!.id, ...(Object.keys(rich).length ? { rich } : {}) },
    });
    if (stored.externalId) {
      await finishRecipient(em, r.id, { status: 'sent', conversationId: conversation.id, messageId: stored.id });
      return { kind: 'done' };
    }
    if (stored.status === 'failed') return fail(stored.error ?? 'failed', conversation.id, stored.id);

    await slot(r.channelId, ctx.rates[r.channel] ?? (channel.config.settings as { sendRatePerSecond?: number }).sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND);
    // Paused while waiting for the slot: the row stays due (its stored message is found on resume).
    if (ctx.stopped()) return { kind: 'stopped' };
    const result = await providerSend(em, channel, stored.id, { text: rendered.text, ...rich }, {
      idempotencyKey: r.idempotencyKey,
      contactAddress: r.address,
      thread: conversation.thread,
      lastInboundAt,
      ...(stored.existed ? { retryingSince: stored.createdAt.toISOString() } : {}),
    });
    if (result.ok) {
      await markSent(em, stored.id, r.channelId, result.providerMessageId);
      if (result.thread && Object.keys(result.thread).length) await mergeThread(em, conversation.id, result.thread);
      await finishRecipient(em, r.id, { status: 'sent', conversationId: conversation.id, messageId: stored.id });
      channelSends.inc({ channel: r.channel, outcome: 'sent' });
      return { kind: 'done' };
    }
    if (result.retryable) return { kind: 'retry', error: result.error, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
    channelSends.inc({ channel: r.channel, outcome: 'failed' });
    await markSendFailed(em, stored.id, r.channelId, result.error);
    return fail(result.error, conversation.id, stored.id);
  }

  return {
    async sendCampaignPage({ tenantId, campaignId, limit, ratePerSecond }) {
      const em = tenantEm(orm, tenantId);
      const c = await getCampaign(em, campaignId);
      const due = c.status === 'sending' ? await dueRecipients(em, campaignId, limit) : [];
      let stop = false;
      const ctx = { zone: usableZone(c.timezone, await tenantTimezone(em, tenantId)), rates: ratePerSecond, key: configuredLinkKey(config), stopped: () => stop, flows: new Map() };
      let next = 0;
      let done = 0;
      let checkedAt = Date.now();
      let retry: Extract<Outcome, { kind: 'retry' }> | null = null;
      const worker = async () => {
        while (!stop && next < due.length) {
          const r = due[next++]!;
          const outcome = await sendOne(em.fork(), c, r, ctx);
          if (outcome.kind === 'retry') {
            retry ??= outcome;
            stop = true;
          }
          if (outcome.kind !== 'stopped') heartbeat(++done);
          if (!stop && Date.now() - checkedAt > STATUS_EVERY_MS) {
            checkedAt = Date.now();
            if ((await getCampaign(em.fork(), campaignId)).status !== 'sending') stop = true;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
      // The provider asked to slow down or failed for a moment: the page runs again later (sent rows are done).
      if (retry) throw ApplicationFailure.create({ message: (retry as { error: string }).error, type: 'ProviderRetryable', nextRetryDelay: (retry as { retryAfterMs?: number }).retryAfterMs });
      const counts = await recipientCounts(em, campaignId);
      const deferredAt = done === 0 && counts.deferred > 0 ? await nextDeferred(em, campaignId) : null;
      return { claimed: done, counts, nextSendAfter: deferredAt?.toISOString() ?? null };
    },
  };
}
