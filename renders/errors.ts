/**
 * A provider failure with its class (core/renders.ts): the activities turn it into a Temporal
 * failure of type `render_<class>`, non-retryable unless transient, so the user sees the reason.
 */
import type { RenderErrorClass } from '../core/renders';

export class RenderProviderError extends Error {
  constructor(
    readonly errorClass: RenderErrorClass,
    message: string,
    /** Seconds the provider asked us to wait (Retry-After), for a transient error. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'RenderProviderError';
  }
}

/** The class of an HTTP status when the body says nothing more specific. */
export function classOfStatus(status: number): RenderErrorClass {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429 || status >= 500) return 'transient';
  return 'invalid_request';
}

export const retryAfterSeconds = (value: string | null | undefined): number | undefined => {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};
