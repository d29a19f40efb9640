/** The activities of the transfer and record nodes (activities/voice-nodes/): signatures shared with the workflow. */

export interface PrepareTransferInput {
  tenantId: string;
  /** Look up the human agents' phones (users of role agent or admin, enabled, with a phone). */
  agents: boolean;
  /** The warm transfer's whisper (already rendered); empty → no whisper URL. */
  whisper: string;
}

export interface PreparedTransfer {
  /** E.164 numbers of the agents, in a stable order (by user creation); empty when `agents` was false. */
  agentNumbers: string[];
  /** Absolute URL Twilio fetches the whisper's TwiML from (signed: /v1/webhooks/voice-whisper/:token); null without a whisper. */
  whisperUrl: string | null;
}

export interface StoreRecordingInput {
  tenantId: string;
  channelId: string;
  callSid: string;
  recordingSid: string | null;
  /** Twilio's RecordingUrl (without extension: Twilio answers it with WAV). */
  recordingUrl: string;
}

export interface StoredRecording {
  mediaKey: string;
  contentType: string;
  byteSize: number;
}

export interface VoicemailInput {
  tenantId: string;
  conversationId: string;
  /** Idempotency key of the message (a retried activity stores it once). */
  key: string;
  nodeId: string;
  mediaKey: string;
  contentType: string;
  durationSeconds: number | null;
  /** null when transcription was off or failed. */
  transcript: string | null;
  engine: string | null;
}

export interface VoiceNodeActivities {
  prepareTransfer(input: PrepareTransferInput): Promise<PreparedTransfer>;
  /** Downloads the call's recording from Twilio (the channel's credentials) into the media store, once per recording. */
  storeCallRecording(input: StoreRecordingInput): Promise<StoredRecording>;
  /** The voicemail as the caller's message in the conversation: the recording with its transcript as the text. */
  recordVoicemail(input: VoicemailInput): Promise<{ messageId: string }>;
}
