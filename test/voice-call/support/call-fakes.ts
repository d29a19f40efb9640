/** Fake call activities for workflow tests: a known caller "Ada" with a fresh conversation per call. */
import type { CallActivities } from '../../../activities/voice/types';

export const callFakes = (): CallActivities => ({
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
  placeCall: async ({ idempotencyKey }) => ({ id: `call-${idempotencyKey.length}`, callSid: 'CA00000000000000000000000000000001', status: 'queued' }),
});
