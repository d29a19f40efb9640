/** Readable message of a failure inside workflow code. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // ActivityFailure wraps the activity's own error: the cause says what went wrong.
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? `${err.message}: ${cause.message}` : err.message;
}
