/** Opaque keyset cursors: `(timestamp, id)` of the last row of a page, base64url JSON. */
import { AppError } from '../../core/errors';

export interface Cursor {
  t: string;
  id: string;
}

export const encodeCursor = (at: Date, id: string): string => Buffer.from(JSON.stringify({ t: at.toISOString(), id })).toString('base64url');

export function decodeCursor(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.t === 'string' && typeof c.id === 'string' && !Number.isNaN(Date.parse(c.t))) return c;
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'invalid cursor', { field: 'cursor' });
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The `where` clause that continues a keyset scan on `(field, id)` after `cursor`. */
export function keysetAfter(cursor: string | undefined, field: string, direction: 'asc' | 'desc'): Record<string, unknown> {
  if (!cursor) return {};
  const c = decodeCursor(cursor);
  const t = new Date(c.t);
  const op = direction === 'asc' ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: t } }, { [field]: t, id: { [op]: c.id } }] };
}

/** Clamps a requested page size to 1..200 (default 50). */
export const pageLimit = (limit?: number) => Math.min(Math.max(limit ?? 50, 1), 200);

/** Cuts `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => Date): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}
