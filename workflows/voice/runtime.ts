/**
 * The call runtime: what a voice node handler uses on a phone call (`rt.call`, set only by the
 * `ivrCall` workflow). A call is a conversation of webhooks: each webhook is answered with one
 * TwiML document, and the nodes of the walk fill it.
 *
 * - **Append verbs**: `rt.call.verb({ verb: 'play', url })`. The verbs a walk appends are the
 *   webhook's answer, rendered to TwiML by the API (voice/twiml.ts).
 * - **Speak**: `await rt.call.speech(nodeId, text, { voiceProfileId })` returns the verb that speaks
 *   the text (audio from `synthesizeSpeech`, or `<Say>` when there is none) and records the line in
 *   the call's transcript; append it, or put it inside a `<Gather>` as its prompt. `rt.say(...)`
 *   (what chat nodes call) speaks and appends in one step.
 * - **Wait for the caller's next event**, exactly as `ask` waits for a chat reply: append a verb
 *   that calls back (`gather`, `record`, `dial`…, its `action` from `rt.call.callbackUrl(kind,
 *   nodeId)`), then return `{ kind: 'await', retries }`. The walk stops, the webhook is answered,
 *   and the next webhook of the call resumes the walk in the handler's `event(node, rt, event,
 *   retries)` (see NodeHandler), which returns the next Outcome like `answer` does. A chat node
 *   that waits (`ask`) gets a speech-and-keys `<Gather>` added for it, and its `answer` receives
 *   what the caller said or typed (no input: its `timeout`).
 * - The call may end while a node waits (the caller hangs up): the walk is then over; no handler
 *   is called.
 */
import type { AnsweredBy, CallbackKind, CallDirection, PromptVerb, VoiceVerb } from '../../core/voice/types';

export interface SpeechOptions {
  /** The tenant's voice profile (ElevenLabs voice, model, settings); null → the channel's. */
  voiceProfileId?: string | null;
  /** BCP-47 language for `<Say>` and speech recognition. */
  language?: string;
}

export interface CallRuntime {
  readonly callSid: string;
  readonly channelId: string;
  readonly direction: CallDirection;
  /** The caller's number (inbound) or ours (outbound), as Twilio sent it. */
  readonly from: string;
  readonly to: string;
  /** Answering-machine detection's verdict on an outbound call; null when not asked. */
  readonly answeredBy: AnsweredBy | null;
  /** Appends a verb to the TwiML that answers the current webhook. */
  verb(verb: VoiceVerb): void;
  /** The verb that speaks `text` (not appended), recorded in the call's transcript. */
  speech(nodeId: string, text: string, options?: SpeechOptions): Promise<PromptVerb>;
  /** Records a line in the call's transcript without speaking it (what a played file says). */
  note(nodeId: string, text: string, source: string): void;
  /** Absolute URL of one of this call's callbacks, naming the node that waits for it. */
  callbackUrl(kind: CallbackKind, nodeId: string): string;
}
