/**
 * Twilio's voice webhook parameters → the `CallEvent` the call's workflow receives. Which event a
 * request is comes from the URL it was posted to (the call's first webhook, or the callback kind
 * its TwiML named); the node that waits for it travels in the callback's `node` query parameter.
 * Malformed values are a 400 naming the parameter; unknown statuses are refused the same way.
 */
import { AppError } from '../core/errors';
import { ANSWERED_BY, DIAL_CALL_STATUSES, isCallStatus, type AnsweredBy, type CallbackKind, type CallEvent, type CallStatus, type DialCallStatus } from '../core/voice/types';

export type VoiceParams = Record<string, string | string[] | undefined>;

const CALL_SID = /^CA[0-9a-f]{32}$/i;
const MAX_TEXT = 4096;

const one = (params: VoiceParams, name: string): string | null => {
  const v = params[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? null : s;
};

function num(params: VoiceParams, name: string): number | null {
  const s = one(params, name);
  if (s === null) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new AppError('bad_request', `${name} must be a number`, { field: name });
  return n;
}

function callStatus(params: VoiceParams): CallStatus | null {
  const raw = one(params, 'CallStatus');
  if (raw === null) return null;
  // The `initiated` status callback reports the call as Twilio created it: queued.
  const s = raw === 'initiated' ? 'queued' : raw;
  if (!isCallStatus(s)) throw new AppError('bad_request', `CallStatus "${s.slice(0, 40)}" is not a Twilio call status`, { field: 'CallStatus' });
  return s;
}

function answeredBy(params: VoiceParams): AnsweredBy | null {
  const s = one(params, 'AnsweredBy');
  return s !== null && (ANSWERED_BY as readonly string[]).includes(s) ? (s as AnsweredBy) : null;
}

function text(params: VoiceParams, name: string): string | null {
  const s = one(params, name);
  return s === null ? null : s.slice(0, MAX_TEXT);
}

/** The CallSid every voice webhook carries (400 when absent or malformed). */
export function callSidOf(params: VoiceParams): string {
  const sid = one(params, 'CallSid');
  if (!sid || !CALL_SID.test(sid)) throw new AppError('bad_request', 'CallSid must be "CA" followed by 32 hexadecimal characters', { field: 'CallSid' });
  return sid;
}

/** The event of a webhook posted to the call's URL (`kind` null: the first one) or to one of its callbacks. */
export function parseCallEvent(kind: CallbackKind | null, params: VoiceParams, nodeId: string | null): CallEvent {
  const base = { callSid: callSidOf(params), callStatus: callStatus(params) };
  switch (kind) {
    case null: {
      const direction = one(params, 'Direction') ?? 'inbound';
      return {
        kind: 'answered',
        ...base,
        from: text(params, 'From') ?? '',
        to: text(params, 'To') ?? '',
        direction: direction.startsWith('outbound') ? 'outbound' : 'inbound',
        answeredBy: answeredBy(params),
      };
    }
    case 'gather':
      return { kind: 'gather', ...base, nodeId, digits: text(params, 'Digits'), speech: text(params, 'SpeechResult'), confidence: num(params, 'Confidence') };
    case 'dial': {
      const s = one(params, 'DialCallStatus');
      const dialCallStatus = s !== null && (DIAL_CALL_STATUSES as readonly string[]).includes(s) ? (s as DialCallStatus) : null;
      if (s !== null && !dialCallStatus) throw new AppError('bad_request', `DialCallStatus "${s.slice(0, 40)}" is not a Twilio dial status`, { field: 'DialCallStatus' });
      return { kind: 'dial', ...base, nodeId, dialCallStatus, dialCallSid: one(params, 'DialCallSid'), dialCallDuration: num(params, 'DialCallDuration') };
    }
    case 'record':
    case 'recording':
      return {
        kind: 'record',
        ...base,
        nodeId,
        phase: kind === 'record' ? 'action' : 'status',
        recordingSid: one(params, 'RecordingSid'),
        recordingUrl: text(params, 'RecordingUrl'),
        recordingDuration: num(params, 'RecordingDuration'),
        recordingStatus: one(params, 'RecordingStatus'),
        digits: text(params, 'Digits'),
      };
    case 'status':
      return {
        kind: 'status',
        ...base,
        callDuration: num(params, 'CallDuration'),
        sequenceNumber: num(params, 'SequenceNumber'),
        timestamp: one(params, 'Timestamp'),
        answeredBy: answeredBy(params),
      };
  }
}
