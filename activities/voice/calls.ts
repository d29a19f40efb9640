/** The `ivrCall` workflow's database work (local activities, workflows/voice/): the caller, the call row, the transcript. */
import { ApplicationFailure } from '@temporalio/common';
import { placeCallBody } from '../../core/api/calls';
import { AppError } from '../../core/errors';
import { ProviderError } from '../../channels/types';
import { placeOutboundCall } from '../../voice/outbound';
import { beginCall, recordCallTurn } from '../../voice/store';
import type { ActivityDeps } from '../deps';
import type { CallActivities } from './types';

export function callActivities({ orm, config }: ActivityDeps): CallActivities {
  return {
    beginCall: (input) => beginCall(orm, input),
    recordCallTurn: (input) => recordCallTurn(orm, input),
    async placeCall({ tenantId, idempotencyKey, ...request }) {
      const parsed = placeCallBody.safeParse(request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('bad_request', `${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.') });
      }
      try {
        const call = await placeOutboundCall({ orm, config }, tenantId, { ...parsed.data, idempotencyKey });
        return { id: call.id, callSid: call.call_sid, status: call.status };
      } catch (err) {
        // Twilio refused the call: asking again cannot change that. Its outages are retried.
        if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'provider_refused');
        throw err;
      }
    },
  };
}
