/** Reading schema.org JSON-LD from a page: every `application/ld+json` block, `@graph`s flattened, the business node found by its type. */
import type { CheerioAPI } from 'cheerio/slim';

/** schema.org types that are a LocalBusiness a restaurant owner would use (Restaurant and its kin). */
export const BUSINESS_TYPES = new Set(
  ['LocalBusiness', 'Restaurant', 'FoodEstablishment', 'CafeOrCoffeeShop', 'BarOrPub', 'Bakery', 'Brewery', 'Distillery', 'FastFoodRestaurant', 'IceCreamShop', 'Winery', 'Store', 'Hotel', 'NightClub'].map((t) => t.toLowerCase()),
);

export type Node = Record<string, unknown>;

const typesOf = (node: Node): string[] => (Array.isArray(node['@type']) ? node['@type'] : [node['@type']]).filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^https?:\/\/schema\.org\//i, ''));

function flatten(value: unknown, out: Node[]): void {
  if (Array.isArray(value)) value.forEach((v) => flatten(v, out));
  else if (value && typeof value === 'object') {
    const node = value as Node;
    out.push(node);
    if (node['@graph']) flatten(node['@graph'], out);
  }
}

export interface JsonLdRead {
  blocks: number;
  /** Blocks that are not valid JSON (with the parser's message). */
  invalid: string[];
  nodes: Node[];
  /** The first node whose type is a business type. */
  business: Node | null;
  businessType: string | null;
}

export function readJsonLd($: CheerioAPI): JsonLdRead {
  const nodes: Node[] = [];
  const invalid: string[] = [];
  const scripts = $('script[type="application/ld+json" i]');
  scripts.each((_, el) => {
    try {
      flatten(JSON.parse($(el).text()), nodes);
    } catch (err) {
      invalid.push((err as Error).message);
    }
  });
  const business = nodes.find((n) => typesOf(n).some((t) => BUSINESS_TYPES.has(t.toLowerCase()))) ?? null;
  return { blocks: scripts.length, invalid, nodes, business, businessType: business ? typesOf(business).find((t) => BUSINESS_TYPES.has(t.toLowerCase()))! : null };
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** A PostalAddress (or a plain string) as one line. */
export function addressLine(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return addressLine(v[0]);
  if (!v || typeof v !== 'object') return undefined;
  const a = v as Node;
  const parts = [a.streetAddress, a.addressLocality, a.addressRegion, a.postalCode, a.addressCountry].map((p) => (p && typeof p === 'object' ? str((p as Node).name) : str(p))).filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}
