/**
 * Bulk examples for intents: CSV with a header naming `intent` and `text` columns (others are
 * ignored), or JSON lines of `{"intent": "…", "text": "…"}`. A bad row fails the whole import with
 * a 400 naming its line, so nothing is half-imported.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '../errors';
import { intentName, MAX_EXAMPLES_PER_INTENT } from '../api/intents';
import type { LabelledExample } from './classifier';

const bad = (line: number, message: string) => new AppError('validation_failed', `line ${line}: ${message}`, { field: 'data' });

function checked(row: { intent?: unknown; text?: unknown }, line: number): LabelledExample {
  if (typeof row.intent !== 'string' || typeof row.text !== 'string') throw bad(line, 'intent and text must be strings');
  const name = intentName.safeParse(row.intent.trim());
  if (!name.success) throw bad(line, name.error.issues[0]!.message.replace(/^name/, 'intent'));
  const text = row.text.trim();
  if (!text) throw bad(line, 'text must not be empty');
  if (text.length > 500) throw bad(line, 'text must be at most 500 characters');
  return { intent: name.data, text };
}

function fromCsv(data: string): LabelledExample[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(data, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new AppError('validation_failed', `data is not valid CSV: ${(err as Error).message}`, { field: 'data' });
  }
  if (rows.length > 0 && !('intent' in rows[0]! && 'text' in rows[0]!)) throw bad(1, 'the header must name an intent and a text column');
  // Line 1 is the header.
  return rows.map((r, i) => checked(r, i + 2));
}

function fromJsonLines(data: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  data.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw bad(i + 1, 'not valid JSON');
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw bad(i + 1, 'each line must be an object with intent and text');
    out.push(checked(row as { intent?: unknown; text?: unknown }, i + 1));
  });
  return out;
}

export function parseExamples(format: 'csv' | 'jsonl', data: string): LabelledExample[] {
  const rows = format === 'csv' ? fromCsv(data) : fromJsonLines(data);
  if (rows.length === 0) throw new AppError('validation_failed', 'data holds no examples', { field: 'data' });
  const perIntent = new Map<string, number>();
  for (const r of rows) perIntent.set(r.intent, (perIntent.get(r.intent) ?? 0) + 1);
  const over = [...perIntent].find(([, n]) => n > MAX_EXAMPLES_PER_INTENT);
  if (over) throw new AppError('validation_failed', `intent ${over[0]} has more than ${MAX_EXAMPLES_PER_INTENT} examples`, { field: 'data' });
  return rows;
}
