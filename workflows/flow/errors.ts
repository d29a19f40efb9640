/** Readable message of a failure inside workflow code. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // ActivityFailure wraps the activity's own error: the cause says what went wrong.
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? `${err.message}: ${cause.message}` : err.message;
}

/**
 * Thrown into a conversation's walk when the contact's message, stored with the walk's first
 * replies (workflows/runtime/conversation-outbox.ts), turns out not to be a flow turn (an
 * appointment's awaited answer, a consent keyword) or could not be stored: the walk stops and the
 * conversation discards what it did. The interpreter passes it through like a cancellation.
 */
export class WalkAbandoned extends Error {
  constructor() {
    super('the turn went elsewhere; its walk is discarded');
    this.name = 'WalkAbandoned';
  }
}
