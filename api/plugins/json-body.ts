/**
 * JSON bodies with a nesting limit. Nothing the API accepts is nested more than a few levels, and
 * deeply nested input makes every recursive step after parsing (validation, serialization,
 * PostgreSQL's jsonb) a stack-depth risk: refuse it at the parser with a 400.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors';

export const MAX_JSON_DEPTH = 64;

export function registerJsonBody(app: FastifyInstance) {
  // Fastify's own parser: prototype-poisoning checks and the empty-body error stay as they are.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (exceedsDepth(text, MAX_JSON_DEPTH)) {
      return done(new AppError('bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { field: 'body' }), undefined);
    }
    parse(request, text, done);
  });
}

/** One linear pass over the text: brackets inside strings (and escaped quotes) do not count. */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
