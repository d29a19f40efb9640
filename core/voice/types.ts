/**
 * The vocabulary of phone calls (issue 10), declared once: what a voice node asks Twilio to do
 * (`VoiceVerb`, rendered to TwiML by `voice/twiml.ts`), what the call's webhooks tell the `ivrCall`
 * workflow (`CallEvent`, parsed from Twilio's form parameters by `voice/events.ts`) and the status
 * values Twilio reports. Pure data: the workflow, the API and the console all read these.
 */

/** Twilio's `CallStatus` values. */
export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
/** A call in one of these statuses is over: no more webhooks will ask for TwiML. */
export const FINAL_CALL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];
export const isCallStatus = (value: string): value is CallStatus => (CALL_STATUSES as readonly string[]).includes(value);

/** Twilio's `DialCallStatus` values (the `<Dial>` action callback). */
export const DIAL_CALL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialCallStatus = (typeof DIAL_CALL_STATUSES)[number];

/** Answering-machine detection's `AnsweredBy` values. */
export const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

export type CallDirection = 'inbound' | 'outbound';

/** The callbacks a call's TwiML may name (`/v1/webhooks/voice/:channelId/<kind>`). */
export const CALLBACK_KINDS = ['gather', 'dial', 'record', 'recording', 'status'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

// ---- verbs: what a node asks of the call (each with the TwiML attributes it needs) ----

export interface SayVerb {
  verb: 'say';
  text: string;
  /** Twilio voice name (e.g. `Polly.Joanna`); Twilio's default when unset. */
  voice?: string;
  language?: string;
  loop?: number;
}

export interface PlayVerb {
  verb: 'play';
  /** Absolute URL Twilio fetches (a signed media-store URL or the asset's public URL). */
  url: string;
  loop?: number;
}

export interface PauseVerb {
  verb: 'pause';
  /** Seconds. */
  length: number;
}

/** What `<Gather>` may hold: the prompt heard while Twilio listens (barge-in). */
export type PromptVerb = SayVerb | PlayVerb | PauseVerb;

export interface GatherVerb {
  verb: 'gather';
  input: Array<'dtmf' | 'speech'>;
  /** Absolute callback URL (CallRuntime.callbackUrl('gather', nodeId)). */
  action: string;
  numDigits?: number;
  finishOnKey?: string;
  /** Seconds of silence before Twilio gives up (then posts the action with no input). */
  timeout?: number;
  speechTimeout?: 'auto' | number;
  /** Words the recognizer should expect (menu keywords). */
  hints?: string[];
  language?: string;
  prompt?: PromptVerb[];
}

export interface DialVerb {
  verb: 'dial';
  action: string;
  /** One of number / sip / conference / client names where the call goes. */
  number?: string;
  sip?: string;
  client?: string;
  conference?: { name: string; startConferenceOnEnter?: boolean; endConferenceOnExit?: boolean; beep?: boolean; waitUrl?: string; statusCallback?: string };
  callerId?: string;
  /** Seconds to ring before `no-answer`. */
  timeout?: number;
  timeLimit?: number;
  record?: 'do-not-record' | 'record-from-answer' | 'record-from-ringing' | 'record-from-answer-dual' | 'record-from-ringing-dual';
  recordingStatusCallback?: string;
  /** Played to the called party before it is connected (warm transfer's whisper): a TwiML URL. */
  whisperUrl?: string;
  answerOnBridge?: boolean;
}

export interface RecordVerb {
  verb: 'record';
  action: string;
  /** Seconds. */
  maxLength?: number;
  timeout?: number;
  playBeep?: boolean;
  finishOnKey?: string;
  trim?: 'trim-silence' | 'do-not-trim';
  recordingStatusCallback?: string;
}

export interface RedirectVerb {
  verb: 'redirect';
  url: string;
}

export interface HangupVerb {
  verb: 'hangup';
}

/** A conference leg on its own (`<Dial><Conference>`), for nodes that think of it as its own verb. */
export interface ConferenceVerb {
  verb: 'conference';
  name: string;
  action?: string;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  beep?: boolean;
  waitUrl?: string;
  statusCallback?: string;
}

export type VoiceVerb = SayVerb | PlayVerb | PauseVerb | GatherVerb | DialVerb | RecordVerb | RedirectVerb | HangupVerb | ConferenceVerb;
export type VoiceVerbName = VoiceVerb['verb'];

/** Verbs after which Twilio calls back (the walk waits for that event). */
export const WAITING_VERBS: readonly VoiceVerbName[] = ['gather', 'dial', 'record', 'conference', 'redirect', 'hangup'];

// ---- events: what the call's webhooks tell the workflow ----

interface EventBase {
  callSid: string;
  /** The call's status as this webhook reports it. */
  callStatus: CallStatus | null;
}

export interface AnsweredEvent extends EventBase {
  kind: 'answered';
  from: string;
  to: string;
  direction: CallDirection;
  /** Answering-machine detection's verdict (outbound calls with MachineDetection). */
  answeredBy: AnsweredBy | null;
}

export interface GatherEvent extends EventBase {
  kind: 'gather';
  /** The node whose `<Gather>` this answers (from the action URL); stale answers are ignored. */
  nodeId: string | null;
  digits: string | null;
  speech: string | null;
  /** 0..1, speech only. */
  confidence: number | null;
}

export interface DialEvent extends EventBase {
  kind: 'dial';
  nodeId: string | null;
  dialCallStatus: DialCallStatus | null;
  dialCallSid: string | null;
  dialCallDuration: number | null;
}

export interface RecordEvent extends EventBase {
  kind: 'record';
  nodeId: string | null;
  /** `action` when the caller finished the recording, `status` for the recordingStatusCallback. */
  phase: 'action' | 'status';
  recordingSid: string | null;
  recordingUrl: string | null;
  /** Seconds. */
  recordingDuration: number | null;
  recordingStatus: string | null;
  digits: string | null;
}

export interface StatusEvent extends EventBase {
  kind: 'status';
  /** Seconds (`CallDuration`), on the final status. */
  callDuration: number | null;
  sequenceNumber: number | null;
  timestamp: string | null;
  answeredBy: AnsweredBy | null;
}

export type CallEvent = AnsweredEvent | GatherEvent | DialEvent | RecordEvent | StatusEvent;
export type CallEventKind = CallEvent['kind'];

/** What the workflow answers a webhook with: the verbs of the next TwiML document. */
export interface CallAnswer {
  verbs: VoiceVerb[];
  status: CallStatus | null;
}
