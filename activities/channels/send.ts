/**
 * `sendChannelMessage`: a stored outbound message → the provider, exactly once per message.
 * The stored provider id is checked first (a retried activity that already sent does nothing),
 * the channel's rate is respected across workers, 429 / 5xx are retried after the provider's
 * Retry-After, and a permanent refusal (invalid number, blocked, outside the window) is written
 * on the message and returned: no retry storm, no failed turn.
 */
import { ApplicationFailure } from '@temporalio/common';
import { tenantEm } from '../../db/orm';
import { markSendFailed, markSent, mergeThread, outboundForSend } from '../../db/repos/channels-delivery';
import { attemptNumber } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';
import { SEND_MAX_ATTEMPTS } from '../../core/channels';
import { channelLoader } from './loader';
import { DEFAULT_SEND_RATE_PER_SECOND, waitForSendSlot } from './rate-limit';
import { ProviderError } from './types';

type Result = Awaited<ReturnType<SwitchboardActivities['sendChannelMessage']>>;

export function sendActivities({ orm, redis, config }: ActivityDeps): Pick<SwitchboardActivities, 'sendChannelMessage'> {
  const channels = channelLoader(orm, config);
  return {
    async sendChannelMessage(input): Promise<Result> {
      const em = tenantEm(orm, input.tenantId);
      const m = await outboundForSend(em, input.tenantId, input.key);
      if (!m) throw ApplicationFailure.nonRetryable(`no stored message with key ${input.key}`, 'NotFound');
      if (m.externalId) return { status: 'sent', providerMessageId: m.externalId };
      if (m.status === 'failed') return { status: 'failed', error: m.error ?? 'failed' };
      const fail = async (error: string): Promise<Result> => {
        await markSendFailed(em, m.messageId, m.channelId, error);
        return { status: 'failed', error };
      };
      const channel = m.channelId ? await channels.get(m.channelId) : null;
      if (!channel) return fail('the conversation has no channel to send on (deleted?)');
      const contactAddress = m.contactAddress ?? m.threadKey;
      if (!contactAddress) return fail('the conversation has no contact address');

      const rate = (channel.config.settings as { sendRatePerSecond?: number }).sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND;
      await waitForSendSlot(redis, channel.row.id, rate);
      try {
        const result = await channel.adapter.send(
          channel.config,
          { text: m.text, ...(m.rich ?? {}) },
          { idempotencyKey: input.key, contactAddress, thread: m.thread ?? {}, lastInboundAt: m.lastInboundAt ? new Date(m.lastInboundAt).toISOString() : null },
        );
        await markSent(em, m.messageId, channel.row.id, result.providerMessageId);
        if (result.thread && Object.keys(result.thread).length) await mergeThread(em, m.conversationId, result.thread);
        return { status: 'sent', providerMessageId: result.providerMessageId };
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        if (!err.retryable) return fail(err.message);
        if (attemptNumber() >= SEND_MAX_ATTEMPTS) return fail(`gave up after ${SEND_MAX_ATTEMPTS} attempts: ${err.message}`);
        throw ApplicationFailure.create({ message: err.message, type: 'ProviderRetryable', nextRetryDelay: err.opts.retryAfterMs });
      }
    },
  };
}
