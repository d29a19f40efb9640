/** Zod parsing of webhook payloads with the failing path in the 400's message and field. */
import type { z } from 'zod';
import { AppError } from '../../core/errors';

export function parsePayload<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  throw new AppError('bad_request', `malformed payload: ${field}: ${issue.message}`, { field });
}
