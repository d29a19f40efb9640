/** The `ivrCall` workflow's activities (activities/voice/calls.ts): signatures shared with the workflow. */
import type { BeganCall, BeginCallInput, CallTurnInput } from '../../core/voice/calls';

export type { BeganCall, BeginCallInput, CallTurnInput, TranscriptLine } from '../../core/voice/calls';

export interface CallActivities {
  /** Finds or creates the caller's contact (E.164), continues their open conversation or opens one, and records the call row. Idempotent on the call sid. */
  beginCall(input: BeginCallInput): Promise<BeganCall>;
  /** Stores the transcript lines of one webhook (idempotent per line key) and the call row's status, path and duration. */
  recordCallTurn(input: CallTurnInput): Promise<void>;
  /**
   * One webhook's end in one local activity: its spoken lines synthesized (in parallel; a line that
   * cannot be is left to Twilio's `<Say>`), then its transcript, with each line's engine and audio,
   * and the call row stored like `recordCallTurn`. One workflow task step instead of two.
   */
  finishCallTurn(input: FinishCallTurnInput): Promise<SpokenAudio[]>;
  /** A flow's placeCall node: the outbound call (voice/outbound.ts), once per key; Twilio's refusal is a non-retryable failure with its message. */
  placeCall(input: PlaceCallInput): Promise<{ id: string; callSid: string | null; status: string }>;
}

export interface FinishCallTurnInput extends CallTurnInput {
  /** The webhook's spoken lines, by the key of their transcript line. */
  speech: { lineKey: string; text: string; voiceProfileId: string | null }[];
}

/** The audio of one spoken line, in the order asked for; `url` null → `<Say>`. */
export type SpokenAudio = Pick<SynthesizeSpeechResult, 'url' | 'mediaKey' | 'engine'>;

export interface PlaceCallInput {
  tenantId: string;
  idempotencyKey: string;
  channelId: string;
  to: string;
  flowId?: string;
  variables?: Record<string, unknown>;
  machineDetection?: 'Enable' | 'DetectMessageEnd';
}

// ---- speech (activities/voice/speech.ts) ----

export interface SynthesizeSpeechInput {
  tenantId: string;
  text: string;
  /** The tenant's voice profile; unset, or deleted since → espeak-ng's American English. */
  voiceProfileId?: string | null;
  /** `telephony`: 8 kHz μ-law WAV for Twilio's `<Play>`; `web`: MP3 for the widget. */
  format: 'telephony' | 'web';
}

export interface SynthesizeSpeechResult {
  /** A signed absolute URL Twilio or a browser can fetch; null → speak the text with `<Say>`. */
  url: string | null;
  mediaKey: string | null;
  /** Which engine spoke: ElevenLabs, the offline espeak-ng fallback, or none (Twilio's `<Say>`). */
  engine: 'elevenlabs' | 'espeak-ng' | 'twilio-say';
  cached: boolean;
  durationMs: number | null;
}

export interface TranscribeAudioInput {
  tenantId: string;
  /** The recording in the media store (`t/{tenantId}/…`): another tenant's key is not found. */
  mediaKey: string;
  /** `en`, `en-US`…; unset → the provider detects it (PocketSphinx knows English only). */
  language?: string;
}

export interface TranscribeAudioResult {
  text: string;
  engine: 'openai' | 'pocketsphinx';
  confidence: number | null;
}

export interface SpeechActivities {
  /** Speaks `text` in the voice profile's voice, once per (text, voice, settings, format): later calls hit the media store. */
  synthesizeSpeech(input: SynthesizeSpeechInput): Promise<SynthesizeSpeechResult>;
  /** Transcribes a stored recording: the tenant's OpenAI-compatible `/audio/transcriptions`, else PocketSphinx. */
  transcribeAudio(input: TranscribeAudioInput): Promise<TranscribeAudioResult>;
}
