/** The `ivrCall` workflow's activities (activities/voice/calls.ts): signatures shared with the workflow. */
import type { BeganCall, BeginCallInput, CallTurnInput } from '../../core/voice/calls';

export type { BeganCall, BeginCallInput, CallTurnInput, TranscriptLine } from '../../core/voice/calls';

export interface CallActivities {
  /** Finds or creates the caller's contact (E.164), continues their open conversation or opens one, and records the call row. Idempotent on the call sid. */
  beginCall(input: BeginCallInput): Promise<BeganCall>;
  /** Stores the transcript lines of one webhook (idempotent per line key) and the call row's status, path and duration. */
  recordCallTurn(input: CallTurnInput): Promise<void>;
}
