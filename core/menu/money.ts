/** Cents in and out of text: what a CSV says ("$12.50", "12,50", "1 250.00") and what a person reads. */

/** A price as a POS export writes it → cents; null when it is not a number. */
export function parseMoney(value: string): number | null {
  let s = value.trim().replace(/[\s\u00a0]/g, '').replace(/^[^\d\-.,]+|[^\d.,]+$/g, '');
  if (!s || !/^-?[\d.,]+$/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  // The later separator is the decimal one when it has one or two digits after it ("1.250,50", "12,5").
  if (lastComma > lastDot && s.length - lastComma - 1 <= 2) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  const n = Number(s);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

export function formatCents(cents: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
