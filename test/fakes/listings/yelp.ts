/**
 * A local fake of the Yelp Fusion API v3, the calls the adapter makes:
 *
 *   GET /v3/businesses/search?term&location&limit        → {businesses, total, region}
 *   GET /v3/businesses/search/phone?phone=+E164           → {businesses, total}
 *   GET /v3/businesses/{id or alias}                      → Business (with hours)
 *   GET /v3/businesses/{id or alias}/reviews?limit&sort_by → {reviews, total, possible_languages}
 *
 * Bearer key required (TOKEN_MISSING / TOKEN_INVALID, 401), unknown business 404
 * BUSINESS_NOT_FOUND, search without location 400 VALIDATION_ERROR, a phone not in E.164 400
 * VALIDATION_ERROR, all with Yelp's `{error: {code, description}}`.
 */
import type { YelpBusiness, YelpReview } from '../../../presence/providers/yelp';
import { startFake, type FakeServer } from './server';

export interface FakeYelp extends FakeServer {
  addBusiness(b: YelpBusiness, reviews?: YelpReview[]): void;
}

export const yelpError = (code: string, description: string, extra: Record<string, unknown> = {}) => ({ error: { code, description, ...extra } });

export async function startFakeYelp(apiKey: string): Promise<FakeYelp> {
  const businesses = new Map<string, { b: YelpBusiness; reviews: YelpReview[] }>();
  const find = (idOrAlias: string) => businesses.get(idOrAlias) ?? [...businesses.values()].find((x) => x.b.alias === idOrAlias);
  const summary = ({ hours: _hours, ...rest }: YelpBusiness) => rest;
  const fake = await startFake((req) => {
    const auth = req.headers.authorization;
    if (!auth) return { status: 401, body: yelpError('TOKEN_MISSING', 'An access token must be supplied in order to use this endpoint.') };
    if (auth !== `Bearer ${apiKey}`) return { status: 401, body: yelpError('TOKEN_INVALID', 'Invalid access token or authorization header.') };
    if (req.method !== 'GET') return { status: 404, body: yelpError('NOT_FOUND', 'Resource could not be found.') };
    if (req.path === '/v3/businesses/search/phone') {
      const phone = req.query.get('phone') ?? '';
      if (!/^\+\d{6,15}$/.test(phone)) return { status: 400, body: yelpError('VALIDATION_ERROR', 'Please specify a valid phone number, e.g +14159083801.', { field: 'phone', instance: phone }) };
      const hits = [...businesses.values()].filter((x) => x.b.phone === phone).map((x) => summary(x.b));
      return { status: 200, body: { businesses: hits, total: hits.length } };
    }
    if (req.path === '/v3/businesses/search') {
      const location = req.query.get('location');
      if (!location && !req.query.get('latitude')) return { status: 400, body: yelpError('VALIDATION_ERROR', 'Please specify a location or a latitude and longitude') };
      const term = (req.query.get('term') ?? '').toLowerCase();
      const hits = [...businesses.values()].filter((x) => !term || (x.b.name ?? '').toLowerCase().includes(term)).map((x) => summary(x.b));
      const limit = Number(req.query.get('limit') ?? 20);
      return { status: 200, body: { businesses: hits.slice(0, limit), total: hits.length, region: { center: { latitude: 0, longitude: 0 } } } };
    }
    const m = /^\/v3\/businesses\/([^/]+)(\/reviews)?$/.exec(req.path);
    if (m) {
      const hit = find(decodeURIComponent(m[1]));
      if (!hit) return { status: 404, body: yelpError('BUSINESS_NOT_FOUND', 'The requested business could not be found.') };
      if (!m[2]) return { status: 200, body: hit.b };
      const sorted = [...hit.reviews].sort((a, b) => (req.query.get('sort_by') === 'newest' ? b.time_created.localeCompare(a.time_created) : 0));
      return { status: 200, body: { reviews: sorted.slice(0, Number(req.query.get('limit') ?? 3)), total: hit.reviews.length, possible_languages: ['en'] } };
    }
    return { status: 404, body: yelpError('NOT_FOUND', 'Resource could not be found.') };
  });
  return { ...fake, addBusiness: (b, reviews = []) => void businesses.set(b.id, { b, reviews }) };
}
