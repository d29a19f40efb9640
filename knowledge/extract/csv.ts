/**
 * CSV/TSV → one line per record ("column: value; column: value"), so every line carries its own
 * column names and still reads right once a chunk is cut out of the table.
 */
import { parse } from 'csv-parse/sync';
import type { ExtractedDocument, ExtractedSection } from '../../core/knowledge/types';
import { corrupt } from './errors';
import { normalizeHeading, normalizeText } from './normalize';

/** Records per section: sections are the unit a citation points to ("prices.csv, rows 26–50"). */
export const CSV_ROWS_PER_SECTION = 25;

/** The most frequent of comma, semicolon and tab in the header line (spreadsheets export all three). */
export function guessDelimiter(text: string): string {
  const header = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

export function extractCsv(text: string, fileName: string | undefined, rowsPerSection = CSV_ROWS_PER_SECTION): ExtractedDocument {
  let rows: string[][];
  try {
    rows = parse(text, { delimiter: guessDelimiter(text), bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true });
  } catch (error) {
    throw corrupt('CSV file', error);
  }
  const [header = [], ...records] = rows;
  const columns = header.map((name, i) => normalizeHeading(name) ?? `column ${i + 1}`);
  const lines = records
    .map((record) =>
      record
        .map((value, i) => [columns[i] ?? `column ${i + 1}`, normalizeText(value).replace(/\s+/g, ' ')] as const)
        .filter(([, value]) => value !== '')
        .map(([column, value]) => `${column}: ${value}`)
        .join('; '),
    )
    .filter((line) => line !== '');
  const heading = fileName ? normalizeHeading(fileName) : null;
  const sections: ExtractedSection[] = [];
  for (let i = 0; i < lines.length; i += rowsPerSection) {
    sections.push({ text: lines.slice(i, i + rowsPerSection).join('\n'), heading, page: null });
  }
  return { title: heading, sections, pageCount: null };
}
