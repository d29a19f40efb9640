/** What a scripted caller does, what the fake hears, and how a dialled party answers. */

export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';
export type DialCallStatus = 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
export type AnsweredBy = 'human' | 'machine_start' | 'machine_end_beep' | 'machine_end_silence' | 'machine_end_other' | 'fax' | 'unknown';
export type StatusEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** One step of the caller's script, consumed by the next <Gather> or <Record> that listens. */
export type CallerAction =
  | { kind: 'press'; digits: string }
  | { kind: 'say'; text: string; confidence: number }
  | { kind: 'silence' }
  /** A voicemail for <Record>: the words (spoken by espeak-ng) or a WAV, ended by silence, a key or hanging up. */
  | { kind: 'message'; text: string | null; wav: Buffer | null; end: 'silence' | 'hangup' | string }
  | { kind: 'hangup' };

export interface DialTarget {
  kind: 'number' | 'sip' | 'client' | 'conference' | 'queue';
  value: string;
  attrs: Record<string, string>;
}

export interface DialOutcome {
  status: DialCallStatus;
  /** Seconds the two legs were connected (answered calls). */
  durationSeconds?: number;
}

export type Heard =
  | { verb: 'say'; text: string; voice: string | null; language: string | null; loop: number; inGather: boolean }
  | { verb: 'play'; url: string; ok: boolean; contentType: string | null; durationMs: number | null; problem?: string; inGather: boolean }
  | { verb: 'digits'; digits: string }
  | { verb: 'pause'; seconds: number; inGather: boolean }
  | { verb: 'gather'; input: string; action: string | null; result: { digits: string } | { speech: string; confidence: number } | null }
  | { verb: 'redirect'; url: string }
  | { verb: 'dial'; targets: DialTarget[]; outcome: DialOutcome; whisper: string[] }
  | { verb: 'record'; recordingSid: string | null; durationSeconds: number; maxLength: number }
  | { verb: 'hangup' }
  | { verb: 'reject'; reason: string }
  | { verb: 'unsupported'; name: string };

export interface CallError {
  /** Twilio's error code (11200 HTTP retrieval failure, 11205 connection failure, 12100 parse failure, 12300 bad Content-Type…). */
  code: number;
  message: string;
  url?: string;
  /** Warnings (a failed <Play>, an unknown verb, a status callback answered non-2xx) do not end the call. */
  fatal: boolean;
}

export interface Recording {
  sid: string;
  callSid: string;
  accountSid: string;
  url: string;
  wav: Buffer;
  durationSeconds: number;
  /** The words the caller said into it, when the script spoke them. */
  text: string | null;
}
