/**
 * record (voicemail): the prompt, then `<Record>` up to the maximum length. Twilio posts the Record
 * action when the caller finishes (a key, silence, the length, or hanging up): with a recording,
 * the node stores it in the media store (storeCallRecording), transcribes it (voice-speech's
 * transcribeAudio: the tenant's OpenAI-compatible endpoint, else PocketSphinx), stores it as the
 * caller's message with the transcript beside it (recordVoicemail) and follows `recorded`; a
 * transcription that fails still keeps the recording. No recording (silence, nothing left) follows
 * `empty`. Outside a call the node follows `empty`.
 */
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const record: NodeHandler<'record'> = {
  async run(node, rt) {
    if (!rt.call) return { kind: 'follow', handle: 'empty', output: { error: 'not a phone call' } };
    if (node.data.prompt) rt.call.verb(await rt.call.speech(node.id, renderTemplate(node.data.prompt, rt.variables)));
    rt.call.verb({
      verb: 'record',
      action: rt.call.callbackUrl('record', node.id),
      maxLength: node.data.maxLengthSeconds,
      timeout: node.data.silenceTimeoutSeconds,
      playBeep: node.data.playBeep,
      finishOnKey: node.data.finishOnKey,
      trim: 'trim-silence',
    });
    return { kind: 'await', retries: 0 };
  },

  async event(node, rt, event) {
    const call = rt.call!;
    if (event.kind !== 'record' || !event.recordingUrl || !event.recordingDuration) {
      return { kind: 'follow', handle: 'empty', output: { recordingDuration: event.kind === 'record' ? event.recordingDuration : null } };
    }
    const stored = await rt.activities.call(node.id, 'storeCallRecording', { tenantId: rt.tenantId, channelId: call.channelId, callSid: call.callSid, recordingSid: event.recordingSid, recordingUrl: event.recordingUrl });
    let transcript: { text: string; engine: string } | null = null;
    if (node.data.transcribe) {
      try {
        const heard = await rt.activities.call(node.id, 'transcribeAudio', { tenantId: rt.tenantId, mediaKey: stored.mediaKey });
        transcript = { text: heard.text, engine: heard.engine };
      } catch {
        // The recording is kept without its text; the run shows the failed activity.
        transcript = null;
      }
    }
    if (node.data.variable) rt.variables[node.data.variable] = transcript?.text ?? '';
    if (rt.conversationId) {
      await rt.activities.call(node.id, 'recordVoicemail', {
        tenantId: rt.tenantId,
        conversationId: rt.conversationId,
        key: rt.key(node.id),
        nodeId: node.id,
        mediaKey: stored.mediaKey,
        contentType: stored.contentType,
        durationSeconds: event.recordingDuration,
        transcript: transcript?.text ?? null,
        engine: transcript?.engine ?? null,
      });
    }
    return { kind: 'follow', handle: 'recorded', output: { mediaKey: stored.mediaKey, seconds: event.recordingDuration, transcript: transcript?.text ?? null } };
  },
};
