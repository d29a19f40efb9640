/**
 * Twilio's Calls REST resource: place an outbound call (answering-machine detection passed
 * through as Twilio names it) and change a live one (new TwiML or a new URL: transfers, take-overs).
 * Errors come back as ProviderError with Twilio's code and message (channels/twilio/client.ts).
 */
import type { TwilioAuth } from '../channels/twilio/client';
import { twilioApiCall } from '../channels/twilio/client';
import type { CallStatus } from '../core/voice/types';

/** `Enable` stops at the first verdict; `DetectMessageEnd` waits for the greeting's end (voicemail drops). */
export type MachineDetection = 'Enable' | 'DetectMessageEnd';

export interface PlaceCall {
  to: string;
  from: string;
  /** Where Twilio fetches the first TwiML when the call is answered. */
  url: string;
  statusCallback: string;
  machineDetection?: MachineDetection;
  /** Answer at once and post the verdict to `asyncAmdStatusCallback` (AsyncAmd=true). */
  asyncAmd?: boolean;
  asyncAmdStatusCallback?: string;
  machineDetectionTimeout?: number;
  /** Seconds to ring before giving up (`no-answer`). */
  timeout?: number;
}

/** The fields of Twilio's Call resource we read. */
export interface TwilioCall {
  sid: string;
  status: CallStatus;
  to: string;
  from: string;
  direction: string;
}

export function placeCall(auth: TwilioAuth, call: PlaceCall): Promise<TwilioCall> {
  const body = new URLSearchParams({ To: call.to, From: call.from, Url: call.url, Method: 'POST', StatusCallback: call.statusCallback, StatusCallbackMethod: 'POST' });
  for (const event of ['initiated', 'ringing', 'answered', 'completed']) body.append('StatusCallbackEvent', event);
  if (call.machineDetection) body.set('MachineDetection', call.machineDetection);
  if (call.machineDetectionTimeout) body.set('MachineDetectionTimeout', String(call.machineDetectionTimeout));
  if (call.asyncAmd) {
    body.set('AsyncAmd', 'true');
    if (call.asyncAmdStatusCallback) {
      body.set('AsyncAmdStatusCallback', call.asyncAmdStatusCallback);
      body.set('AsyncAmdStatusCallbackMethod', 'POST');
    }
  }
  if (call.timeout) body.set('Timeout', String(call.timeout));
  return twilioApiCall<TwilioCall>(auth, 'POST', `/2010-04-01/Accounts/${auth.accountSid}/Calls.json`, { body });
}

/** Redirects a live call: new TwiML, or a URL Twilio fetches it from. */
export function modifyCall(auth: TwilioAuth, callSid: string, change: { twiml: string } | { url: string }): Promise<TwilioCall> {
  const body = 'twiml' in change ? new URLSearchParams({ Twiml: change.twiml }) : new URLSearchParams({ Url: change.url, Method: 'POST' });
  return twilioApiCall<TwilioCall>(auth, 'POST', `/2010-04-01/Accounts/${auth.accountSid}/Calls/${encodeURIComponent(callSid)}.json`, { body });
}
