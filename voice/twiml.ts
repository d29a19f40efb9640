/**
 * Verbs → TwiML, through the `twilio` package's own `VoiceResponse` (never string concatenation:
 * it escapes text and attributes). Only the TwiML module is loaded, not the whole SDK.
 * Every `<Gather>` posts its action even when the caller said nothing (`actionOnEmptyResult`), so
 * the waiting node always hears back and decides (retry, no-input edge) itself.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { PromptVerb, VoiceVerb } from '../core/voice/types';

type Sayer = Pick<VoiceResponse, 'say' | 'play' | 'pause'>;
// The package types voices and languages as closed unions; ours are checked where they are set (node schemas).
type SayAttributes = NonNullable<Parameters<VoiceResponse['say']>[0]>;
type GatherAttributes = NonNullable<Parameters<VoiceResponse['gather']>[0]>;

function prompt(target: Sayer, verb: PromptVerb): void {
  switch (verb.verb) {
    case 'say':
      target.say({ ...(verb.voice ? { voice: verb.voice } : {}), ...(verb.language ? { language: verb.language } : {}), ...(verb.loop ? { loop: verb.loop } : {}) } as SayAttributes, verb.text);
      return;
    case 'play':
      target.play(verb.loop ? { loop: verb.loop } : {}, verb.url);
      return;
    case 'pause':
      target.pause({ length: verb.length });
  }
}

/** The TwiML document of a webhook's answer. */
export function renderTwiml(verbs: readonly VoiceVerb[]): string {
  const r = new VoiceResponse();
  for (const v of verbs) {
    switch (v.verb) {
      case 'say':
      case 'play':
      case 'pause':
        prompt(r, v);
        break;
      case 'gather': {
        const g = r.gather({
          input: v.input,
          action: v.action,
          method: 'POST',
          actionOnEmptyResult: true,
          ...(v.numDigits ? { numDigits: v.numDigits } : {}),
          ...(v.finishOnKey !== undefined ? { finishOnKey: v.finishOnKey } : {}),
          ...(v.timeout ? { timeout: v.timeout } : {}),
          ...(v.speechTimeout !== undefined ? { speechTimeout: String(v.speechTimeout) } : {}),
          ...(v.hints?.length ? { hints: v.hints.join(', ') } : {}),
          ...(v.language ? { language: v.language } : {}),
        } as GatherAttributes);
        for (const p of v.prompt ?? []) prompt(g, p);
        break;
      }
      case 'dial': {
        const d = r.dial({
          action: v.action,
          method: 'POST',
          ...(v.callerId ? { callerId: v.callerId } : {}),
          ...(v.timeout ? { timeout: v.timeout } : {}),
          ...(v.timeLimit ? { timeLimit: v.timeLimit } : {}),
          ...(v.record ? { record: v.record } : {}),
          ...(v.recordingStatusCallback ? { recordingStatusCallback: v.recordingStatusCallback } : {}),
          ...(v.answerOnBridge ? { answerOnBridge: true } : {}),
        });
        if (v.number) d.number(v.whisperUrl ? { url: v.whisperUrl } : {}, v.number);
        else if (v.sip) d.sip(v.whisperUrl ? { url: v.whisperUrl } : {}, v.sip);
        else if (v.client) d.client(v.whisperUrl ? { url: v.whisperUrl } : {}, v.client);
        else if (v.conference) d.conference(conferenceAttributes(v.conference), v.conference.name);
        break;
      }
      case 'conference': {
        const d = r.dial(v.action ? { action: v.action, method: 'POST' } : {});
        d.conference(conferenceAttributes(v), v.name);
        break;
      }
      case 'record':
        r.record({
          action: v.action,
          method: 'POST',
          ...(v.maxLength ? { maxLength: v.maxLength } : {}),
          ...(v.timeout ? { timeout: v.timeout } : {}),
          ...(v.playBeep !== undefined ? { playBeep: v.playBeep } : {}),
          ...(v.finishOnKey !== undefined ? { finishOnKey: v.finishOnKey } : {}),
          ...(v.trim ? { trim: v.trim } : {}),
          ...(v.recordingStatusCallback ? { recordingStatusCallback: v.recordingStatusCallback, recordingStatusCallbackMethod: 'POST' } : {}),
        });
        break;
      case 'redirect':
        r.redirect({ method: 'POST' }, v.url);
        break;
      case 'hangup':
        r.hangup();
        break;
    }
  }
  return r.toString();
}

function conferenceAttributes(c: { startConferenceOnEnter?: boolean; endConferenceOnExit?: boolean; beep?: boolean; waitUrl?: string; statusCallback?: string }): VoiceResponse.ConferenceAttributes {
  return {
    ...(c.startConferenceOnEnter !== undefined ? { startConferenceOnEnter: c.startConferenceOnEnter } : {}),
    ...(c.endConferenceOnExit !== undefined ? { endConferenceOnExit: c.endConferenceOnExit } : {}),
    ...(c.beep !== undefined ? { beep: c.beep ? 'true' : 'false' } : {}),
    ...(c.waitUrl ? { waitUrl: c.waitUrl } : {}),
    ...(c.statusCallback ? { statusCallback: c.statusCallback, statusCallbackEvent: ['start', 'end', 'join', 'leave'] } : {}),
  };
}
