/** Fake call activities for workflow tests: a known caller "Ada" with a fresh conversation per call. */
import type { CallActivities, SpeechActivities } from '../../../activities/voice/types';

/** `synthesizeSpeech` speaks each line of `finishCallTurn`, as in the real activity. */
export const callFakes = (synthesizeSpeech: SpeechActivities['synthesizeSpeech']): CallActivities => ({
  beginCall: async ({ callSid, from }) => ({
    callId: `call-row-${callSid}`,
    contactId: 'contact-1',
    conversationId: `conv-${callSid}`,
    contactName: from === '+14155550100' ? 'Ada' : null,
    phone: from,
    continued: false,
    recent: [],
  }),
  recordCallTurn: async () => {},
  finishCallTurn: ({ tenantId, speech }) =>
    Promise.all(speech.map(({ text, voiceProfileId }) => synthesizeSpeech({ tenantId, text, voiceProfileId, format: 'telephony' }).then(({ url, mediaKey, engine }) => ({ url, mediaKey, engine })))),
  placeCall: async ({ idempotencyKey }) => ({ id: `call-${idempotencyKey.length}`, callSid: 'CA00000000000000000000000000000001', status: 'queued' }),
});
