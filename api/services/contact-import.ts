/**
 * The CSV import of contacts: csv-parse streams the rows (header first), each row is mapped and
 * checked (core/campaigns/contact-import.ts), and valid rows go to the database 1,000 at a time.
 * Synchronous up to MAX_IMPORT_ROWS rows: the answer carries the counts and the rejected rows.
 */
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse';
import { MAX_IMPORT_REJECTIONS, type ImportMapping, type ImportResult } from '../../core/api/audiences';
import { defaultField, importRow, isRejection, mergeImported, type ImportedContact, type RowRejection } from '../../core/campaigns/contact-import';
import { AppError } from '../../core/errors';
import { upsertImportBatch } from '../../db/repos';
import { guessDelimiter } from '../../knowledge/extract/csv';

export const MAX_IMPORT_ROWS = 50_000;
const BATCH = 1000;

export interface ImportOptions {
  /** column header → field; absent: headers name the fields (defaultField). */
  mapping?: ImportMapping;
  defaultCountry?: string;
  /** Kept on the consent rows the import sets (`csv:<file name>`). */
  source: string;
}

function fieldsFor(header: string[], mapping: ImportMapping | undefined): string[] {
  if (!mapping) return header.map(defaultField);
  const missing = Object.keys(mapping).filter((column) => !header.includes(column));
  if (missing.length) throw new AppError('bad_request', `the mapping names columns the file does not have: ${missing.slice(0, 5).join(', ')}`, { field: 'mapping' });
  return header.map((column) => mapping[column] ?? 'skip');
}

export async function importContacts(em: EntityManager, csv: Buffer, opts: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const head = csv.subarray(0, 4096).toString('utf8');
  const parser = Readable.from([csv]).pipe(
    parse({ delimiter: guessDelimiter(head), bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, trim: true }),
  );
  const result: ImportResult = { imported: 0, updated: 0, rejected: [], rejectedCount: 0, optOutsKept: 0, durationMs: 0 };
  let fields: string[] | null = null;
  let batch = new Map<string, ImportedContact>();
  let row = 0;
  const flush = async () => {
    const done = await upsertImportBatch(em, [...batch.values()], opts.source);
    result.imported += done.imported;
    result.updated += done.updated;
    result.optOutsKept += done.optOutsKept;
    batch = new Map();
  };
  const reject = (r: RowRejection) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_IMPORT_REJECTIONS) result.rejected.push(r);
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!fields) {
        fields = fieldsFor(record, opts.mapping);
        if (!fields.some((f) => f && f !== 'skip')) throw new AppError('bad_request', 'no column maps to a contact field', { field: opts.mapping ? 'mapping' : 'file' });
        continue;
      }
      row++;
      // A row of empty cells (a spreadsheet's trailing ",,,") is no contact and no mistake.
      if (record.every((cell) => !cell)) continue;
      if (row > MAX_IMPORT_ROWS) throw new AppError('bad_request', `at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows per import: split the file`, { field: 'file' });
      const mapped = importRow(record, fields, row, opts.defaultCountry);
      if (isRejection(mapped)) {
        reject(mapped);
        continue;
      }
      const earlier = batch.get(mapped.key);
      batch.set(mapped.key, earlier ? mergeImported(earlier, mapped) : mapped);
      if (batch.size >= BATCH) await flush();
    }
  } catch (err) {
    // Only the parser's own errors are the file's fault; a database error stays a 5xx.
    if (!String((err as { code?: unknown }).code ?? '').startsWith('CSV_')) throw err;
    throw new AppError('bad_request', `the CSV could not be read at row ${row + 1}: ${(err as Error).message}`, { field: 'file' });
  }
  if (!fields) throw new AppError('bad_request', 'the file is empty: send a header row and one row per contact', { field: 'file' });
  await flush();
  return { ...result, durationMs: Date.now() - started };
}
