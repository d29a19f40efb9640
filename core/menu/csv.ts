/**
 * One row of a POS export → the item it names and the day's sales it carries, or the first
 * problem with it (row, field, why). Pure: `menu/csv-import.ts` streams rows through it.
 * Columns map to fields by a mapping the user gives, else by their header ("Item Name", "Qty",
 * "Gross Sales", "Unit Cost"… see HEADER_SYNONYMS). A row with a date and a quantity is a sale; a
 * row without a date only describes the item (a menu list with prices and food costs).
 */
import { parseMoney } from './money';

export const MENU_IMPORT_FIELDS = ['name', 'category', 'price', 'foodCost', 'sku', 'date', 'quantity', 'revenue', 'skip'] as const;
export type MenuImportField = (typeof MENU_IMPORT_FIELDS)[number];

export const DATE_ORDERS = ['mdy', 'dmy'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** Lower-cased headers without spaces, dashes or underscores → field. */
const HEADER_SYNONYMS: Record<string, MenuImportField> = {
  name: 'name', item: 'name', itemname: 'name', product: 'name', productname: 'name', menuitem: 'name', description: 'name',
  category: 'category', categoryname: 'category', group: 'category', menugroup: 'category', reportingcategory: 'category',
  price: 'price', unitprice: 'price', itemprice: 'price', menuprice: 'price', baseprice: 'price',
  foodcost: 'foodCost', cost: 'foodCost', unitcost: 'foodCost', platecost: 'foodCost', cogs: 'foodCost',
  sku: 'sku', itemid: 'sku', plu: 'sku', code: 'sku', id: 'sku',
  date: 'date', day: 'date', businessdate: 'date', saledate: 'date', orderdate: 'date', closedat: 'date',
  quantity: 'quantity', qty: 'quantity', sold: 'quantity', itemssold: 'quantity', unitssold: 'quantity', count: 'quantity',
  revenue: 'revenue', sales: 'revenue', grosssales: 'revenue', netsales: 'revenue', total: 'revenue', amount: 'revenue',
};

export function defaultMenuField(header: string): MenuImportField {
  return HEADER_SYNONYMS[header.toLowerCase().replace(/[\s_\-().]/g, '')] ?? 'skip';
}

export interface ImportedMenuRow {
  /** `sku:<sku>` or `name:<lower-cased name>`. */
  key: string;
  name: string;
  category: string | null;
  priceCents: number | null;
  foodCostCents: number | null;
  sku: string | null;
  sale: { day: string; quantity: number; revenueCents: number | null } | null;
}

export interface MenuRowRejection {
  row: number;
  field: string;
  message: string;
}

export const isMenuRejection = (r: ImportedMenuRow | MenuRowRejection): r is MenuRowRejection => 'message' in r;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[T\s,].*)?$/;

/** A date as exports write it → YYYY-MM-DD, or null. ISO first; then m/d/y or d/m/y as told. */
export function parseDay(value: string, order: DateOrder): string | null {
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO.exec(value);
  const slashed = SLASHED.exec(value);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (slashed) {
    const [a, b, c] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    [m, d] = order === 'mdy' ? [a, b] : [b, a];
    y = c < 100 ? 2000 + c : c;
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const QUANTITY = /^-?\d+(?:[.,]\d+)?$/;

/** `fields[i]` is the field of column i. `today` (YYYY-MM-DD) refuses sales dated after it. */
export function importMenuRow(cells: readonly string[], fields: readonly string[], row: number, opts: { dateOrder: DateOrder; today: string }): ImportedMenuRow | MenuRowRejection {
  const reject = (field: string, message: string): MenuRowRejection => ({ row, field, message });
  const v: Partial<Record<MenuImportField, string>> = {};
  for (const [i, field] of fields.entries()) {
    const value = (cells[i] ?? '').trim();
    if (!value || field === 'skip' || !field) continue;
    if (value.length > 500) return reject(field, 'the cell is longer than 500 characters');
    v[field as MenuImportField] = value;
  }
  const name = v.name;
  if (!name) return reject('name', 'the row has no item name');
  if (name.length > 200) return reject('name', 'the name is longer than 200 characters');
  if (v.category && v.category.length > 100) return reject('category', 'the category is longer than 100 characters');

  const money = (field: 'price' | 'foodCost' | 'revenue'): number | null | MenuRowRejection => {
    const raw = v[field];
    if (raw === undefined) return null;
    const cents = parseMoney(raw);
    if (cents === null) return reject(field, `"${raw.slice(0, 40)}" is not an amount`);
    if (cents < 0) return reject(field, field === 'revenue' ? 'a negative revenue (a refund or void) is not a sale' : `${field} is negative`);
    if (cents > 100_000_000) return reject(field, `${field} is over 1,000,000`);
    return cents;
  };
  const price = money('price');
  if (typeof price === 'object' && price) return price;
  const foodCost = money('foodCost');
  if (typeof foodCost === 'object' && foodCost) return foodCost;
  const revenue = money('revenue');
  if (typeof revenue === 'object' && revenue) return revenue;

  let sale: ImportedMenuRow['sale'] = null;
  if (v.date !== undefined || v.quantity !== undefined) {
    if (v.date === undefined) return reject('date', 'a quantity sold needs a date');
    const day = parseDay(v.date, opts.dateOrder);
    if (!day) return reject('date', `"${v.date.slice(0, 40)}" is not a date (YYYY-MM-DD, or ${opts.dateOrder === 'mdy' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'})`);
    if (day > opts.today) return reject('date', `${day} is in the future`);
    if (v.quantity === undefined) return reject('quantity', 'a dated row needs the quantity sold');
    if (!QUANTITY.test(v.quantity)) return reject('quantity', `"${v.quantity.slice(0, 40)}" is not a number`);
    const quantity = Number(v.quantity.replace(',', '.'));
    // A refund line is a negative quantity: the export's own total already counts it, this import does not.
    if (quantity < 0) return reject('quantity', 'a negative quantity (a refund or void) is not a sale');
    if (quantity > 1_000_000) return reject('quantity', 'the quantity is over 1,000,000');
    sale = { day, quantity, revenueCents: revenue as number | null };
  }
  // A sales line without a price tells it by its revenue.
  const priceCents = (price as number | null) ?? (sale && sale.quantity > 0 && sale.revenueCents !== null ? Math.round(sale.revenueCents / sale.quantity) : null);
  if (foodCost !== null && priceCents !== null && (foodCost as number) > priceCents) return reject('foodCost', 'the food cost is more than the price');
  const sku = v.sku ?? null;
  if (sku && sku.length > 190) return reject('sku', 'the SKU is longer than 190 characters');
  return {
    key: sku ? `sku:${sku}` : `name:${name.toLowerCase().replace(/\s+/g, ' ')}`,
    name,
    category: v.category ?? null,
    priceCents,
    foodCostCents: foodCost as number | null,
    sku,
    sale,
  };
}
