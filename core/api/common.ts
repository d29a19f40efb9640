import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE, unstorablePath } from '../text';

/**
 * Every string a request may carry: one PostgreSQL can store (no NUL, no unpaired surrogate),
 * refused with a 400 naming the field otherwise (core/text.ts). Chain the usual checks after it.
 */
export const text = () => z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });

/** A client's key for a request it may retry: the same key, the same effect, once. */
export const idempotencyKey = () => text().regex(/^[A-Za-z0-9._-]{1,128}$/, 'idempotencyKey must be 1-128 letters, digits, . _ or -');

/** A JSON payload (a flow graph, signal arguments, settings) whose strings and keys must all be storable; the issue names the path. */
export const storable = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, ctx) => {
    const path = unstorablePath(value);
    if (path) ctx.addIssue({ code: 'custom', message: UNSTORABLE_TEXT_MESSAGE, path });
  });

/** `{error: {code, message, field?}}` — the body of every 4xx/5xx (DESIGN.md §6). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      /** Structured detail where there is some: a flow's validation errors, each with its node id. */
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** What a create answers with when the new record's id is all there is to say. */
export const createdId = z.object({ id: z.string() });

export const uuidParam = z.object({ id: z.uuid({ message: 'id must be a UUID' }) });

/** Standard error responses every authenticated route can return. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
  429: errorBody,
  503: errorBody,
} as const;

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: text().max(200).optional(),
});
