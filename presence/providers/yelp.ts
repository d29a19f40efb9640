/**
 * Yelp Fusion API v3: `GET /v3/businesses/search` (term + location), `GET /v3/businesses/search/
 * phone?phone=+E164`, `GET /v3/businesses/{id}` (hours), `GET /v3/businesses/{id}/reviews`; a
 * bearer key. Errors are `{error: {code, description}}`: `TOKEN_MISSING`/`TOKEN_INVALID`/
 * `UNAUTHORIZED_ACCESS_TOKEN` (401), `BUSINESS_UNAVAILABLE` (403), `BUSINESS_NOT_FOUND` (404),
 * `VALIDATION_ERROR`/`LOCATION_NOT_FOUND` (400), `TOO_MANY_REQUESTS_PER_SECOND`/
 * `ACCESS_LIMIT_REACHED` (429), `INTERNAL_ERROR` (500).
 */
import { fromYelpOpen } from './hours';
import { codeOfStatus, providerJson } from './http';
import { ListingProviderError, type Listing, type ListingEndpoint, type ListingErrorCode } from './types';

export const YELP_URL = 'https://api.yelp.com';

export interface YelpBusiness {
  id: string;
  alias?: string;
  name?: string;
  url?: string;
  is_closed?: boolean;
  rating?: number;
  review_count?: number;
  phone?: string;
  display_phone?: string;
  location?: { address1?: string | null; address2?: string | null; address3?: string | null; city?: string; zip_code?: string; state?: string; country?: string; display_address?: string[] };
  hours?: { hour_type?: string; is_open_now?: boolean; open?: { day: number; start: string; end: string; is_overnight?: boolean }[] }[];
}

export interface YelpReview {
  id: string;
  rating: number;
  text?: string;
  /** "2016-08-29 00:41:13", Pacific time. */
  time_created: string;
}

const CODES: Record<string, ListingErrorCode> = {
  TOKEN_MISSING: 'auth',
  TOKEN_INVALID: 'auth',
  UNAUTHORIZED_ACCESS_TOKEN: 'auth',
  BUSINESS_UNAVAILABLE: 'not_found',
  BUSINESS_NOT_FOUND: 'not_found',
  VALIDATION_ERROR: 'bad_request',
  LOCATION_NOT_FOUND: 'bad_request',
  TOO_MANY_REQUESTS_PER_SECOND: 'rate_limited',
  ACCESS_LIMIT_REACHED: 'rate_limited',
  INTERNAL_ERROR: 'unavailable',
};

function readError(status: number, body: unknown): ListingProviderError {
  const providerCode = (body as { error?: { code?: string } } | undefined)?.error?.code;
  return new ListingProviderError('yelp', (providerCode ? CODES[providerCode] : undefined) ?? codeOfStatus(status), `Yelp answered HTTP ${status}${providerCode ? ` ${providerCode}` : ''}`, status, providerCode);
}

const auth = (endpoint: ListingEndpoint) => ({ authorization: `Bearer ${endpoint.apiKey}` });
const get = <T>(endpoint: ListingEndpoint, path: string, query?: Record<string, string | undefined>) => providerJson<T>('yelp', endpoint, path, { headers: auth(endpoint), query }, readError);

/** Yelp's review times are Pacific local times without a zone; read as UTC they are off by hours at most, which recency in days ignores. */
const reviewIso = (t: string) => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? `${t.replace(' ', 'T')}Z` : undefined);

export function yelpListing(b: YelpBusiness, reviews: YelpReview[] = []): Listing {
  const regular = b.hours?.find((h) => !h.hour_type || h.hour_type === 'REGULAR');
  const loc = b.location;
  return {
    source: 'yelp',
    id: b.id,
    url: b.url,
    name: b.name,
    phone: b.phone || b.display_phone || undefined,
    address: loc?.display_address?.join(', ') ?? ([loc?.address1, loc?.city, loc?.state, loc?.zip_code].filter(Boolean).join(', ') || undefined),
    rating: b.rating,
    reviewCount: b.review_count,
    latestReviewAt: reviews.map((r) => reviewIso(r.time_created)).filter((t): t is string => !!t).sort().at(-1),
    hours: regular?.open ? fromYelpOpen(regular.open) : undefined,
    closed: b.is_closed === true,
  };
}

/** Details, then reviews (a business without reviews answers an empty list). */
export async function yelpBusiness(endpoint: ListingEndpoint, id: string): Promise<Listing> {
  const business = await get<YelpBusiness>(endpoint, `/v3/businesses/${encodeURIComponent(id)}`);
  const reviews = await get<{ reviews?: YelpReview[] }>(endpoint, `/v3/businesses/${encodeURIComponent(business.id)}/reviews`, { limit: '3', sort_by: 'newest' });
  return yelpListing(business, reviews.reviews ?? []);
}

/** The business with this phone (E.164), else the first search match for name and location; null when neither finds one. */
export async function yelpFind(endpoint: ListingEndpoint, hints: { name?: string; address?: string; phone?: string }): Promise<string | null> {
  if (hints.phone?.startsWith('+')) {
    const byPhone = await get<{ businesses?: YelpBusiness[] }>(endpoint, '/v3/businesses/search/phone', { phone: hints.phone });
    if (byPhone.businesses?.[0]) return byPhone.businesses[0].id;
  }
  if (!hints.name || !hints.address) return null;
  const search = await get<{ businesses?: YelpBusiness[] }>(endpoint, '/v3/businesses/search', { term: hints.name, location: hints.address, limit: '1' });
  return search.businesses?.[0]?.id ?? null;
}

/** A business id or alias from what the audit was given: the id, or a `yelp.com/biz/{alias}` URL. */
export function yelpIdFrom(value: string): string | null {
  const v = value.trim();
  const m = /yelp\.[a-z.]+\/biz\/([^/?#]+)/i.exec(v);
  if (m) return decodeURIComponent(m[1]);
  return /^[A-Za-z0-9_-]+$/.test(v) ? v : null;
}
