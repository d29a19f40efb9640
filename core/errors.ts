/**
 * The one error type of the platform. The API maps it to
 * `{error: {code, message, field?}}` with `status` as the HTTP status.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'flow_invalid'
  | 'not_published'
  | 'conversation_closed'
  | 'slot_taken'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'internal'
  | 'quota_exceeded';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  flow_invalid: 422,
  not_published: 409,
  conversation_closed: 409,
  slot_taken: 409,
  rate_limited: 429,
  upstream_unavailable: 503,
  internal: 500,
  quota_exceeded: 429,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, opts: { field?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
    this.status = STATUS[code];
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export const notFound = (what: string, field?: string) => new AppError('not_found', `${what} not found`, { field });

/**
 * The failure type activities give a value PostgreSQL refused: SQLSTATE class 22, "data
 * exception" (an unsupported \u0000 in JSON, bad UTF-8, a malformed number…), and 08P01, which
 * is what a NUL in a text parameter gives (node-postgres sends parameters as C strings, so the
 * server reads a malformed Bind message). The same value is refused again: never retried.
 */
export const INVALID_DATA_ERROR_TYPE = 'InvalidDataError';

/** Error types activities throw that retrying cannot fix: the workflows' retry policies and the send activity's give-up check share them. */
export const NON_RETRYABLE_ERROR_TYPES = ['AppError', 'SlotTakenError', 'ZodError', 'ConfigError', 'ExtractionError', INVALID_DATA_ERROR_TYPE];

/** Whether a database error (node-postgres's, or MikroORM's wrapper, which copies `code`) refused the value itself. */
export function isInvalidDataError(err: unknown): boolean {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '08P01');
}
