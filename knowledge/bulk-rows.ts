/**
 * Rows of a bulk import → documents: a CSV with a header (csv-parse), a JSONL file (one object per
 * line) or the JSON body's array. Column names are matched case-insensitively; an FAQ export's
 * `question`/`answer` pair becomes a document named after the question whose text holds both, so
 * the question's words are searchable too. A row that cannot be a document is reported, not fatal.
 */
import { parse } from 'csv-parse/sync';
import { fitName, MAX_DOCUMENT_NAME } from '../core/knowledge/names';
import { isStorableText, stripUnstorable } from '../core/text';
import type { RejectedRow } from '../core/api/knowledge-import';

export interface ImportRow {
  name: string;
  text: string;
}

export interface ParsedRows {
  rows: (ImportRow & { row: number })[];
  rejected: RejectedRow[];
}

/** A whole-file problem (no usable column, not CSV/JSONL): the request is refused, naming `field`. */
export class ImportFormatError extends Error {
  constructor(message: string, readonly field = 'file') {
    super(message);
    this.name = 'ImportFormatError';
  }
}

const TEXT_COLUMNS = ['text', 'content', 'body', 'answer'];
const NAME_COLUMNS = ['name', 'title', 'question'];
/** Per row, as for one pasted document; a file of many rows is bounded by the upload limit. */
const MAX_ROW_TEXT = 1_000_000;

type Record_ = Record<string, unknown>;

const pick = (record: Record_, columns: string[]) => {
  for (const c of columns) {
    const v = record[c];
    if (typeof v === 'string' && v.trim()) return { column: c, value: v.trim() };
  }
  return undefined;
};

/** One record (keys lower-cased) → a document, or the reason it cannot be one. */
function toRow(record: Record_, row: number): (ImportRow & { row: number }) | RejectedRow {
  const body = pick(record, TEXT_COLUMNS);
  const title = pick(record, NAME_COLUMNS);
  if (!body) return { row, field: 'text', message: `no text: the row needs one of ${TEXT_COLUMNS.join(', ')}` };
  const text = title?.column === 'question' && body.column === 'answer' ? `${title.value}\n\n${body.value}` : body.value;
  if (text.length > MAX_ROW_TEXT) return { row, field: body.column, message: `longer than ${MAX_ROW_TEXT} characters` };
  // Names are labels: shortened and cleaned rather than refused. Text with NUL cannot be stored.
  if (!isStorableText(text)) return { row, field: body.column, message: 'contains characters that cannot be stored (NUL)' };
  const name = fitName(stripUnstorable(title?.value ?? text.split('\n')[0]).replace(/\s+/g, ' '), Math.min(MAX_DOCUMENT_NAME, 120));
  return { row, name, text };
}

function collect(records: Record_[], firstRow = 1): ParsedRows {
  const out: ParsedRows = { rows: [], rejected: [] };
  records.forEach((record, i) => {
    const lowered = Object.fromEntries(Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), v]));
    const result = toRow(lowered, i + firstRow);
    if ('text' in result) out.rows.push(result);
    else out.rejected.push(result);
  });
  return out;
}

export function parseCsvRows(bytes: Buffer): ParsedRows {
  let records: Record_[];
  try {
    records = parse(bytes, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });
  } catch (err) {
    throw new ImportFormatError(`the CSV could not be read: ${(err as Error).message}`);
  }
  const columns = new Set(records.length ? Object.keys(records[0]) : []);
  if (records.length && !TEXT_COLUMNS.some((c) => columns.has(c))) {
    throw new ImportFormatError(`the CSV has no text column: name one of ${TEXT_COLUMNS.join(', ')} in its header (found ${[...columns].join(', ') || 'none'})`);
  }
  return collect(records);
}

export function parseJsonlRows(bytes: Buffer): ParsedRows {
  const out: ParsedRows = { rows: [], rejected: [] };
  bytes.toString('utf8').split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.rejected.push({ row: i + 1, field: 'line', message: 'not valid JSON' });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.rejected.push({ row: i + 1, field: 'line', message: 'not a JSON object' });
      return;
    }
    const one = collect([value as Record_], i + 1);
    out.rows.push(...one.rows);
    out.rejected.push(...one.rejected);
  });
  return out;
}

export const parseJsonRows = (documents: { name?: string; text: string }[]): ParsedRows => collect(documents);

/** CSV or JSONL by file name, then declared type, then a look at the first character. */
export function parseImportFile(bytes: Buffer, fileName = '', mimeType = ''): ParsedRows {
  const lower = fileName.toLowerCase();
  const jsonl = /\.(jsonl|ndjson)$/.test(lower) || /ndjson|jsonl|json-lines/.test(mimeType) || (!/\.csv$/.test(lower) && !/csv/.test(mimeType) && bytes.toString('utf8', 0, 64).trimStart().startsWith('{'));
  return jsonl ? parseJsonlRows(bytes) : parseCsvRows(bytes);
}
