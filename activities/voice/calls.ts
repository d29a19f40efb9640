/** The `ivrCall` workflow's database work (local activities, workflows/voice/): the caller, the call row, the transcript. */
import { ApplicationFailure } from '@temporalio/common';
import { placeCallBody } from '../../core/api/calls';
import { AppError } from '../../core/errors';
import { ProviderError } from '../../channels/types';
import { placeOutboundCall } from '../../voice/outbound';
import { beginCall, recordCallTurn } from '../../voice/store';
import { activityContext } from '../context';
import type { ActivityDeps } from '../deps';
import type { CallActivities, SpeechActivities, SpokenAudio } from './types';

export function callActivities({ orm, config }: ActivityDeps, speech: Pick<SpeechActivities, 'synthesizeSpeech'>): CallActivities {
  return {
    beginCall: (input) => beginCall(orm, input),
    recordCallTurn: (input) => recordCallTurn(orm, input),
    async finishCallTurn({ speech: spoken, ...turn }) {
      const audio = await Promise.all(
        spoken.map(({ text, voiceProfileId }): Promise<SpokenAudio> =>
          speech.synthesizeSpeech({ tenantId: turn.tenantId, text, voiceProfileId, format: 'telephony' }).then(
            ({ url, mediaKey, engine }) => ({ url, mediaKey, engine }),
            (err: unknown) => {
              // A caller is waiting: Twilio's own voice says it rather than nothing (the engines already fell back inside).
              activityContext()?.log.warn('speech not synthesized: Twilio says it', { error: err instanceof Error ? err.message : String(err) });
              return { url: null, mediaKey: null, engine: 'twilio-say' };
            },
          ),
        ),
      );
      const byKey = new Map(spoken.map((s, i) => [s.lineKey, audio[i]]));
      const lines = turn.lines.map((line) => {
        const a = byKey.get(line.key);
        return a ? { ...line, metadata: { ...line.metadata, engine: a.engine, ...(a.mediaKey ? { mediaKey: a.mediaKey } : {}) } } : line;
      });
      await recordCallTurn(orm, { ...turn, lines });
      return audio;
    },
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
