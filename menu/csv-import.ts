/**
 * A POS export (CSV) into menu items and sales: csv-parse reads the rows (header first), each row
 * is mapped and checked (core/menu/csv.ts), lines of the same item and day are added up, then the
 * items are upserted by key and each (item, day) is set to the file's total — so importing the
 * same file again changes nothing, and a corrected file replaces the days it covers.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse/sync';
import { defaultMenuField, importMenuRow, isMenuRejection, MENU_IMPORT_FIELDS, type DateOrder, type ImportedMenuRow, type MenuImportField, type MenuRowRejection } from '../core/menu/csv';
import { AppError } from '../core/errors';
import { guessDelimiter } from '../knowledge/extract/csv';
import { itemsByKey, replaceSales, upsertMenuItems, type ItemUpsert } from './store';

export const MAX_MENU_IMPORT_ROWS = 100_000;
export const MAX_MENU_REJECTIONS = 200;
export const UNCATEGORIZED = 'Uncategorized';

export interface MenuImportOptions {
  /** Column header → field; absent: headers name the fields (defaultMenuField). */
  mapping?: Record<string, MenuImportField>;
  dateOrder?: DateOrder;
  currency?: string;
  /** YYYY-MM-DD; later sales are refused. Default: today (UTC). */
  today?: string;
}

export interface MenuImportResult {
  rows: number;
  items: { created: number; updated: number };
  /** (item, day) totals stored, and the units in them. */
  sales: { days: number; units: number; from: string | null; to: string | null };
  rejected: MenuRowRejection[];
  rejectedCount: number;
  /** column → the field it was read as. */
  columns: Record<string, MenuImportField>;
}

function fieldsFor(header: string[], mapping: MenuImportOptions['mapping']): MenuImportField[] {
  if (!mapping) return header.map(defaultMenuField);
  const missing = Object.keys(mapping).filter((column) => !header.includes(column));
  if (missing.length) throw new AppError('bad_request', `the mapping names columns the file does not have: ${missing.slice(0, 5).join(', ')}`, { field: 'mapping' });
  return header.map((column) => mapping[column] ?? 'skip');
}

function readRows(csv: string): string[][] {
  try {
    return parse(csv, { delimiter: guessDelimiter(csv.slice(0, 4096)), bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, trim: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('bad_request', `the CSV could not be read${line ? ` at line ${line}` : ''}: ${(err as Error).message}`, { field: 'csv' });
  }
}

export async function importMenuCsv(em: EntityManager, tenantId: string, csv: string, opts: MenuImportOptions = {}): Promise<MenuImportResult> {
  const [header, ...records] = readRows(csv);
  if (!header) throw new AppError('bad_request', 'the file is empty: send a header row and one row per item or sale', { field: 'csv' });
  if (records.length > MAX_MENU_IMPORT_ROWS) throw new AppError('bad_request', `at most ${MAX_MENU_IMPORT_ROWS.toLocaleString('en')} rows per import: split the file`, { field: 'csv' });
  const fields = fieldsFor(header, opts.mapping);
  if (!fields.includes('name')) throw new AppError('bad_request', `no column is the item name: map one to "name" (fields: ${MENU_IMPORT_FIELDS.join(', ')})`, { field: opts.mapping ? 'mapping' : 'csv' });
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const result: MenuImportResult = { rows: 0, items: { created: 0, updated: 0 }, sales: { days: 0, units: 0, from: null, to: null }, rejected: [], rejectedCount: 0, columns: Object.fromEntries(header.map((h, i) => [h, fields[i]!])) };
  const reject = (r: MenuRowRejection) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_MENU_REJECTIONS) result.rejected.push(r);
  };

  const accepted: { row: number; r: ImportedMenuRow }[] = [];
  records.forEach((cells, i) => {
    if (cells.every((c) => !c)) return;
    result.rows++;
    // Row numbers as a spreadsheet shows them: the header is row 1.
    const r = importMenuRow(cells, fields, i + 2, { dateOrder: opts.dateOrder ?? 'mdy', today });
    if (isMenuRejection(r)) reject(r);
    else accepted.push({ row: i + 2, r });
  });

  // The last row of an item says its name, category, price and cost; earlier rows fill what it leaves out.
  const known = await itemsByKey(em, tenantId, [...new Set(accepted.map((a) => a.r.key))]);
  const items = new Map<string, ItemUpsert>();
  const valid: ImportedMenuRow[] = [];
  for (const { row, r } of accepted) {
    const before = items.get(r.key);
    const stored = known.get(r.key);
    const priceCents = r.priceCents ?? before?.priceCents ?? stored?.priceCents ?? null;
    if (priceCents === null) {
      reject({ row, field: 'price', message: `${r.name} is a new item and the row gives no price (nor a revenue to derive it from)` });
      continue;
    }
    const foodCostCents = r.foodCostCents ?? before?.foodCostCents ?? null;
    if (foodCostCents !== null && foodCostCents > priceCents) {
      reject({ row, field: 'foodCost', message: 'the food cost is more than the price' });
      continue;
    }
    items.set(r.key, {
      key: r.key,
      name: r.name,
      category: r.category ?? before?.category ?? stored?.category ?? UNCATEGORIZED,
      priceCents,
      foodCostCents,
      currency: opts.currency ?? stored?.currency ?? 'USD',
      source: 'csv',
      externalId: r.sku ?? before?.externalId ?? null,
    });
    valid.push(r);
  }
  const upserted = await upsertMenuItems(em, tenantId, [...items.values()]);
  result.items = { created: upserted.created, updated: upserted.updated };

  const days = new Map<string, { itemId: string; day: string; quantity: number; revenueCents: number }>();
  for (const r of valid) {
    if (!r.sale) continue;
    const itemId = upserted.ids.get(r.key)!;
    const k = `${itemId}:${r.sale.day}`;
    const total = days.get(k) ?? { itemId, day: r.sale.day, quantity: 0, revenueCents: 0 };
    total.quantity += r.sale.quantity;
    total.revenueCents += r.sale.revenueCents ?? Math.round(r.sale.quantity * items.get(r.key)!.priceCents);
    days.set(k, total);
  }
  const sales = [...days.values()];
  result.sales.days = await replaceSales(em, tenantId, sales, 'csv');
  result.sales.units = sales.reduce((s, d) => s + d.quantity, 0);
  const sorted = sales.map((s) => s.day).sort();
  result.sales.from = sorted[0] ?? null;
  result.sales.to = sorted.at(-1) ?? null;
  return result;
}
