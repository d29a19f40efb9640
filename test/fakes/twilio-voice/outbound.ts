/**
 * Outbound calls through the REST API (POST …/Calls.json): Twilio's validation and error codes,
 * the Call resource JSON, and the life of the call once created: initiated → ringing → answered
 * (the Url fetched with `AnsweredBy` when MachineDetection asked for it, or that result posted to
 * AsyncAmdStatusCallback) or busy / no-answer / failed.
 */
import { formValue, type FormParams } from '../../../channels/twilio/signature';
import { FakeCall, type CallEnv } from './call';
import { runCall } from './verbs';
import { method, rfc2822 } from './webhooks';
import type { AnsweredBy, CallStatus, StatusEvent } from './types';

/** How the called party answers an outbound call. */
export interface OutboundAnswer {
  /** Default `in-progress` (picked up). */
  status?: Extract<CallStatus, 'in-progress' | 'busy' | 'no-answer' | 'failed'>;
  /** What machine detection finds, when the call asked for it; default `human`. */
  answeredBy?: AnsweredBy;
  /** Milliseconds AMD took (MachineDetectionDuration). */
  detectionMs?: number;
}

const PHONE = /^\+[1-9]\d{6,14}$/;
const ADDRESS = /^(\+[1-9]\d{6,14}|sip:.+|client:.+)$/;
const AMD = ['Enable', 'DetectMessageEnd'];

export function outboundCall(form: FormParams, accountSid: string, env: CallEnv, answer: OutboundAnswer): { call: FakeCall; start: () => Promise<void> } | { code: number; message: string } {
  const v = (name: string) => formValue(form, name);
  const to = v('To');
  const from = v('From');
  if (!to) return { code: 21201, message: "No 'To' number is specified" };
  if (!ADDRESS.test(to)) return { code: 21211, message: `Invalid 'To' Phone Number: ${to}` };
  if (!from) return { code: 21213, message: "No 'From' number is specified" };
  if (!PHONE.test(from) && !from.startsWith('client:')) return { code: 21212, message: `Invalid 'From' Phone Number: ${from}` };
  const url = v('Url');
  const twiml = v('Twiml');
  if (!url && twiml === undefined) return { code: 21205, message: 'Url parameter is required' };
  if (url && !/^https?:\/\//i.test(url)) return { code: 21205, message: `Url is not a valid URL: ${url}` };
  const machineDetection = v('MachineDetection');
  if (machineDetection !== undefined && !AMD.includes(machineDetection)) return { code: 21626, message: `Invalid MachineDetection: ${machineDetection}` };
  const statusCallback = v('StatusCallback') ?? null;
  if (statusCallback && !/^https?:\/\//i.test(statusCallback)) return { code: 21609, message: `Invalid StatusCallback: ${statusCallback}` };
  const events = ([] as string[]).concat(form.StatusCallbackEvent ?? []).flatMap((e) => e.split(/\s+/)).filter(Boolean) as StatusEvent[];
  const asyncAmd = machineDetection !== undefined && v('AsyncAmd') === 'true' && v('AsyncAmdStatusCallback');

  const call = new FakeCall(env, {
    accountSid,
    from,
    to,
    direction: 'outbound-api',
    statusCallback,
    statusCallbackMethod: method(v('StatusCallbackMethod')),
    statusEvents: events.length > 0 ? events : ['completed'],
    answeredBy: machineDetection !== undefined ? (answer.answeredBy ?? 'human') : null,
    asyncAmd: asyncAmd ? { url: v('AsyncAmdStatusCallback')!, method: method(v('AsyncAmdStatusCallbackMethod')) } : null,
  });
  const start = async () => {
    if (!call.isLive) return call.endUnanswered('canceled');
    call.status = 'initiated';
    await call.statusCallback('initiated', 'initiated');
    call.status = 'ringing';
    await call.statusCallback('ringing', 'ringing');
    if (!call.isLive) return call.endUnanswered('canceled');
    const status = answer.status ?? 'in-progress';
    if (status !== 'in-progress') return call.endUnanswered(status);
    await call.answer();
    if (call.setup.asyncAmd) {
      const amd = call.setup.asyncAmd;
      const params = { AccountSid: accountSid, CallSid: call.sid, AnsweredBy: call.answeredBy!, MachineDetectionDuration: String(answer.detectionMs ?? 2400) };
      call.background(call.callback('amd', amd.url, amd.method, params));
    }
    await runCall(call, twiml !== undefined ? { kind: 'inline', twiml } : { kind: 'voice', url: url!, method: method(v('Method')), extra: {} });
  };
  return { call, start };
}

/** Twilio's Call resource JSON. */
export function callResource(call: FakeCall) {
  const path = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}`;
  return {
    sid: call.sid,
    account_sid: call.accountSid,
    parent_call_sid: null,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    direction: call.direction,
    answered_by: call.answeredBy,
    start_time: call.startedAt ? rfc2822(call.startedAt) : null,
    end_time: call.endedAt ? rfc2822(call.endedAt) : null,
    duration: call.durationSeconds === null ? null : String(call.durationSeconds),
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(call.endedAt ?? call.startedAt ?? call.createdAt),
    price: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    forwarded_from: null,
    caller_name: null,
    group_sid: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${path}.json`,
    subresource_uris: { recordings: `${path}/Recordings.json`, notifications: `${path}/Notifications.json`, events: `${path}/Events.json` },
  };
}
