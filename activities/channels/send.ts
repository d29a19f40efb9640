/**
 * `sendChannelMessage`: a stored outbound message → the provider, exactly once per message.
 * The stored provider id is checked first (a retried activity that already sent does nothing),
 * the channel's rate is respected across workers, 429 / 5xx are retried after the provider's
 * Retry-After, and a permanent refusal (invalid number, blocked, outside the window) is written
 * on the message and returned: no retry storm, no failed turn. An attempt that Temporal will not
 * retry (the last one, or a non-retryable error) marks the message failed with its reason,
 * whatever went wrong, so no message is left neither sent nor failed.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tenantEm } from '../../db/orm';
import { Message } from '../../db/entities';
import { toReply } from '../../db/repos/messages';
import { publishLive } from '../../events/live';
import { markSendFailed, markSent, mergeThread, outboundForSend, providerIdTaken } from '../../db/repos/channels-delivery';
import { activityContext, attemptNumber } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';
import { SEND_MAX_ATTEMPTS } from '../../core/channels';
import { isInvalidDataError, NON_RETRYABLE_ERROR_TYPES } from '../../core/errors';
import { channelLoader, type LoadedChannel } from '../../channels/directory';
import { DEFAULT_SEND_RATE_PER_SECOND, waitForSendSlot } from '../../channels/rate-limit';
import { ProviderError, type OutboundSend, type SendContext } from '../../channels/types';
import { channelSends } from '../../metrics';

type Input = Parameters<SwitchboardActivities['sendChannelMessage']>[0];
type Result = Awaited<ReturnType<SwitchboardActivities['sendChannelMessage']>>;

/** Error types the activity's retry policy does not retry (workflows/flow/activities.ts). */
const NON_RETRYABLE = new Set(NON_RETRYABLE_ERROR_TYPES);
/** An attempt stops itself this long before its start-to-close timeout, so the last one can still mark the message. */
const DEADLINE_MARGIN_MS = 2_000;

export type ProviderSendResult =
  | { ok: true; providerMessageId: string; thread?: Record<string, unknown> }
  | { ok: false; error: string; retryable: boolean; retryAfterMs?: number };

/**
 * The provider step every outbound message takes (conversation replies, campaign sends): the
 * adapter's send, a message recovered by a retried send checked against the ones the channel
 * already holds, and a provider refusal returned with whether retrying may help.
 */
export async function providerSend(em: EntityManager, channel: LoadedChannel, messageId: string, message: OutboundSend, context: SendContext): Promise<ProviderSendResult> {
  try {
    let result = await channel.adapter.send(channel.config, message, context);
    // A message found rather than sent must not be one another message already owns.
    if (result.recovered && (await providerIdTaken(em, channel.row.id, result.providerMessageId, messageId))) {
      const { retryingSince: _, ...fresh } = context;
      result = await channel.adapter.send(channel.config, message, fresh);
    }
    return { ok: true, providerMessageId: result.providerMessageId, ...(result.thread ? { thread: result.thread } : {}) };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return { ok: false, error: err.message, retryable: err.retryable, ...(err.opts.retryAfterMs !== undefined ? { retryAfterMs: err.opts.retryAfterMs } : {}) };
  }
}

export function sendActivities({ orm, redis, config }: ActivityDeps): Pick<SwitchboardActivities, 'sendChannelMessage'> {
  const channels = channelLoader(orm, config);

  /**
   * The message again on the live channels, now with its delivery status: the inbox replaces the
   * line it shows (same id). Cosmetic, so a failure to publish never fails the send.
   */
  async function announce(em: EntityManager, input: Input, messageId: string): Promise<void> {
    try {
      const stored = await em.fork().findOne(Message, { id: messageId });
      if (stored) await publishLive(redis, input.tenantId, input.conversationId, { type: 'message', message: toReply(stored) });
    } catch {
      // the next transcript load shows the status
    }
  }

  async function attempt(em: EntityManager, input: Input): Promise<Result> {
    const m = await outboundForSend(em, input.tenantId, input.key);
    if (!m) throw ApplicationFailure.nonRetryable(`no stored message with key ${input.key}`, 'NotFound');
    if (m.externalId) return { status: 'sent', providerMessageId: m.externalId };
    if (m.status === 'failed') return { status: 'failed', error: m.error ?? 'failed' };
    let channelType = 'unknown';
    const fail = async (error: string): Promise<Result> => {
      channelSends.inc({ channel: channelType, outcome: 'failed' });
      await markSendFailed(em, m.messageId, m.channelId, error);
      await announce(em, input, m.messageId);
      return { status: 'failed', error };
    };
    const channel = m.channelId ? await channels.get(m.channelId) : null;
    if (!channel) return fail('the conversation has no channel to send on (deleted?)');
    channelType = channel.row.type;
    const contactAddress = m.contactAddress ?? m.threadKey;
    if (!contactAddress) return fail('the conversation has no contact address');

    const rate = (channel.config.settings as { sendRatePerSecond?: number }).sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND;
    await waitForSendSlot(redis, channel.row.id, rate);
    const message = { text: m.text, ...(m.rich ?? {}) };
    const context = { idempotencyKey: input.key, contactAddress, thread: m.thread ?? {}, lastInboundAt: m.lastInboundAt ? new Date(m.lastInboundAt).toISOString() : null };
    const retryingSince = attemptNumber() > 1 ? retryStart() : undefined;
    const result = await providerSend(em, channel, m.messageId, message, { ...context, ...(retryingSince ? { retryingSince } : {}) });
    if (!result.ok) {
      if (!result.retryable) return fail(result.error);
      channelSends.inc({ channel: channelType, outcome: 'retry' });
      throw ApplicationFailure.create({ message: result.error, type: 'ProviderRetryable', nextRetryDelay: result.retryAfterMs });
    }
    await markSent(em, m.messageId, channel.row.id, result.providerMessageId);
    channelSends.inc({ channel: channelType, outcome: 'sent' });
    if (result.thread && Object.keys(result.thread).length) await mergeThread(em, m.conversationId, result.thread);
    await announce(em, input, m.messageId);
    return { status: 'sent', providerMessageId: result.providerMessageId };
  }

  return {
    async sendChannelMessage(input): Promise<Result> {
      const em = tenantEm(orm, input.tenantId);
      try {
        return await withinDeadline(attempt(em, input));
      } catch (err) {
        const finalAttempt = attemptNumber() >= SEND_MAX_ATTEMPTS;
        if (!finalAttempt && !isNonRetryable(err)) throw err;
        const reason = finalAttempt ? `gave up after ${SEND_MAX_ATTEMPTS} attempts: ${(err as Error).message}` : (err as Error).message;
        const marked = await markGivenUp(em, input, reason);
        if (!marked) throw err;
        return marked;
      }
    },
  };
}

/** When the first attempt of this activity was scheduled. */
const retryStart = () => {
  const scheduled = activityContext()?.info.scheduledTimestampMs;
  return scheduled ? new Date(scheduled).toISOString() : undefined;
};

/** Marks the message failed unless it was sent meanwhile; undefined when it cannot be marked (no row, database away). */
async function markGivenUp(em: EntityManager, input: Input, reason: string): Promise<Result | undefined> {
  try {
    const m = await outboundForSend(em, input.tenantId, input.key);
    if (!m) return undefined;
    if (m.externalId) return { status: 'sent', providerMessageId: m.externalId };
    await markSendFailed(em, m.messageId, m.channelId, reason);
    return { status: 'failed', error: reason };
  } catch {
    return undefined;
  }
}

function isNonRetryable(err: unknown): boolean {
  if (err instanceof ApplicationFailure) return err.nonRetryable || NON_RETRYABLE.has(err.type ?? '');
  return (err instanceof Error && NON_RETRYABLE.has(err.name)) || isInvalidDataError(err);
}

/**
 * Inside an activity, the attempt fails itself shortly before its start-to-close timeout: a timeout
 * Temporal declares would end the last attempt with no chance to record why.
 */
async function withinDeadline<T>(work: Promise<T>): Promise<T> {
  const timeoutMs = activityContext()?.info.startToCloseTimeoutMs;
  if (!timeoutMs) return work;
  const budgetMs = Math.max(timeoutMs / 2, timeoutMs - DEADLINE_MARGIN_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(ApplicationFailure.create({ message: `the send did not finish within ${Math.round(budgetMs / 1000)} s`, type: 'SendTimeout' })), budgetMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
