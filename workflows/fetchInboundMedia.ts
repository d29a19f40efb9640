/**
 * Downloads the files of one inbound message after the message itself went to its conversation,
 * so an unreachable media host delays only the files, never the text or the bot's turn. Each file
 * gets a bounded number of download attempts (the input's, from configuration when the message
 * came in); then its entry in the stored message's `metadata.attachments` becomes `stored` or
 * `failed` with the reason, and the message is published again for the inbox. Started by the
 * inbound dispatcher with the message's id as workflow id, so a re-dispatched message downloads once.
 */
import { ActivityFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import { NON_RETRYABLE_ERROR_TYPES } from '../core/errors';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { failureReason } from './ingestDocument';
import type { FetchInboundMediaInput, MediaOutcome } from '../core/inbound';
import { mediaProgressQuery } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

export async function fetchInboundMedia(input: FetchInboundMediaInput): Promise<MediaOutcome[]> {
  setRunAttributes({ TenantId: input.tenantId, Channel: input.channelId });
  // A download heartbeats while it runs: a worker that dies mid-download is noticed within 10 s, not
  // when the 45 s of the attempt are up, and the file is fetched again from another worker.
  const { downloadInboundMedia } = proxyActivities<SwitchboardActivities>({
    startToCloseTimeout: '45s',
    heartbeatTimeout: '10s',
    retry: {
      initialInterval: `${input.retrySeconds}s`,
      backoffCoefficient: 2,
      maximumInterval: '5m',
      maximumAttempts: input.maxAttempts,
      nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
    },
  });
  const { markInboundMedia } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.markInboundMedia);
  const message = { tenantId: input.tenantId, channelId: input.channelId, conversationId: input.conversationId, messageExternalId: input.messageExternalId };

  // One after the other: a message rarely has more than a few files, and they share a host.
  const outcomes: MediaOutcome[] = [];
  setHandler(mediaProgressQuery, () => outcomes);
  for (const file of input.files) {
    let outcome: MediaOutcome;
    try {
      outcome = await downloadInboundMedia({ ...message, file });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      outcome = { status: 'failed', error: failureReason(err) };
    }
    await markInboundMedia({ ...message, file, outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}
