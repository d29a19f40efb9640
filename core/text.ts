/**
 * Text the platform stores must be storable: PostgreSQL refuses U+0000 in `text` and `jsonb`, and
 * an unpaired UTF-16 surrogate has no UTF-8 form (it would be stored as U+FFFD, silently). API
 * schemas refuse such text with a 400 naming the field; provider webhooks, which must still be
 * acknowledged, strip it.
 */

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

export const isStorableText = (s: string): boolean => !UNSTORABLE.test(s);

/** NUL removed, an unpaired surrogate replaced by U+FFFD (what a UTF-8 encoder would write). */
export const stripUnstorable = (s: string): string => (isStorableText(s) ? s : s.replace(UNSTORABLE_ALL, (c) => (c === '\u0000' ? '' : '\uFFFD')));

/** The path of the first string (or key) in a JSON-like value that is not storable, or null. */
export function unstorablePath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  // Deeper than any payload the API accepts; bodies are depth-limited before they get here.
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key];
    const found = unstorablePath(item, [...path, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Every string of plain objects and arrays (keys too) passed through stripUnstorable; other objects (bytes, dates) are kept as they are. */
export function stripUnstorableDeep<T>(value: T): T {
  if (typeof value === 'string') return stripUnstorable(value) as T;
  if (Array.isArray(value)) return value.map(stripUnstorableDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripUnstorable(k), stripUnstorableDeep(v)])) as T;
}
