/**
 * What a failed multipart read becomes: the plugin's limits keep their meaning, and a body the
 * parser cannot read (no boundary, a truncated part, broken headers) is the client's 400, not a 500.
 */
import { AppError } from '../../core/errors';

export function multipartError(err: unknown, tooLarge: () => AppError): unknown {
  if (err instanceof AppError) return err;
  const { code, statusCode } = err as { code?: string; statusCode?: number };
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (code === 'FST_FILES_LIMIT') return new AppError('bad_request', 'send one file per request', { field: 'file' });
  // The plugin's own client errors (parts, fields limits) carry their status.
  if (statusCode && statusCode >= 400 && statusCode < 500) return err;
  return new AppError('bad_request', `the multipart body could not be read: ${(err as Error).message ?? 'malformed'}`, { field: 'file' });
}
