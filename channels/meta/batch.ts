/**
 * Meta batches events: one webhook can carry several entries, each with several messages. A
 * malformed item must not refuse the others (Meta would redeliver the whole batch, and the good
 * events with it, until it gives up), so each item is checked on its own: what parses is kept,
 * what does not is reported with its path for the log.
 */
import type { z } from 'zod';
import type { RejectedPart } from '../types';

export class BatchParser {
  readonly rejected: RejectedPart[] = [];

  /** The items of `list` that `schema` accepts; the others are noted under `path`. */
  each<T>(schema: z.ZodType<T>, list: unknown, path: string): T[] {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      this.reject(path, 'must be an array');
      return [];
    }
    const kept: T[] = [];
    list.forEach((item, i) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) kept.push(parsed.data);
      else {
        const issue = parsed.error.issues[0];
        this.reject([path, i, ...issue.path.map(String)].join('.'), issue.message);
      }
    });
    return kept;
  }

  reject(path: string, reason: string): void {
    this.rejected.push({ path, reason });
  }
}
