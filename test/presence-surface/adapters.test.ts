import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressPolicy } from '../../net/address-policy';
import { facebookPage as readFacebookPage, facebookPageIdFrom } from '../../presence/providers/facebook';
import { googlePlaceDetails, googlePlaceIdFrom, googleTextSearch } from '../../presence/providers/google-places';
import { lookupListings, ListingProviderError } from '../../presence/providers';
import { yelpBusiness as readYelpBusiness, yelpFind, yelpIdFrom } from '../../presence/providers/yelp';
import { googleError } from '../fakes/listings/google-places';
import { yelpError } from '../fakes/listings/yelp';
import { graphError } from '../fakes/listings/facebook';
import { facebookPage, googlePlace, KEYS, startListingFakes, yelpBusiness } from './listing-fixtures';

const policy: AddressPolicy = { allowedPrivate: ['127.0.0.1'] };
let fakes: Awaited<ReturnType<typeof startListingFakes>>;
const ep = (source: 'google' | 'yelp' | 'facebook', apiKey = KEYS[source]) => ({ baseURL: fakes[source].url, apiKey, policy });

beforeAll(async () => {
  fakes = await startListingFakes();
});
afterAll(() => fakes.close());

async function failure(p: Promise<unknown>): Promise<ListingProviderError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ListingProviderError);
  return err as ListingProviderError;
}

describe('Google Places (New)', () => {
  it('reads place details with the key and a field mask, hours turned Monday-first', async () => {
    const listing = await googlePlaceDetails(ep('google'), googlePlace.id);
    const req = fakes.google.requests.at(-1)!;
    expect(req.path).toBe(`/v1/places/${googlePlace.id}`);
    expect(req.headers['x-goog-api-key']).toBe(KEYS.google);
    expect(req.headers['x-goog-fieldmask']).toContain('regularOpeningHours');
    expect(req.headers['x-goog-fieldmask']).not.toContain('places.');
    expect(listing).toMatchObject({ source: 'google', name: 'Trattoria Sole', phone: '+1 217-555-0142', rating: 4.6, reviewCount: 312, latestReviewAt: '2026-11-20T18:03:11.123Z' });
    expect(listing.hours![0]).toEqual(['11:00-22:00']);
    expect(listing.hours![5]).toEqual(['12:00-00:00']);
    expect(listing.hours![6]).toEqual([]);
  });

  it('text search posts textQuery with a places.-prefixed mask; no match is null', async () => {
    expect((await googleTextSearch(ep('google'), 'Trattoria Sole, 123 Main St Springfield'))?.id).toBe(googlePlace.id);
    const req = fakes.google.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/places:searchText', body: { textQuery: 'Trattoria Sole, 123 Main St Springfield', pageSize: 1 } });
    expect(req.headers['x-goog-fieldmask']!.split(',').every((f) => f.startsWith('places.'))).toBe(true);
    expect(await googleTextSearch(ep('google'), 'Nothing Like This Anywhere')).toBeNull();
  });

  it('classifies Google errors: invalid key, unknown place, quota, outage', async () => {
    const bad = await failure(googlePlaceDetails(ep('google', 'wrong'), googlePlace.id));
    expect([bad.code, bad.status, bad.providerCode]).toEqual(['auth', 400, 'API_KEY_INVALID']);
    const missing = await failure(googlePlaceDetails(ep('google'), 'ChIJunknownplace000'));
    expect([missing.code, missing.providerCode]).toEqual(['not_found', 'NOT_FOUND']);
    fakes.google.failNext(1, { status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded') });
    expect((await failure(googlePlaceDetails(ep('google'), googlePlace.id))).code).toBe('rate_limited');
    fakes.google.failNext(1, { status: 503, body: googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.') });
    expect((await failure(googlePlaceDetails(ep('google'), googlePlace.id))).code).toBe('unavailable');
  });

  it('finds a place id in a Maps URL', () => {
    expect(googlePlaceIdFrom('https://www.google.com/maps/search/?api=1&query=x&query_place_id=ChIJN1t_tDeuEmsRUsoyG83frY4')).toBe('ChIJN1t_tDeuEmsRUsoyG83frY4');
    expect(googlePlaceIdFrom('not a place')).toBeNull();
  });
});

describe('Yelp Fusion', () => {
  it('reads details and the newest reviews with a bearer key', async () => {
    const listing = await readYelpBusiness(ep('yelp'), 'trattoria-sole-springfield');
    const [details, reviews] = fakes.yelp.requests.slice(-2);
    expect(details.headers.authorization).toBe(`Bearer ${KEYS.yelp}`);
    expect(reviews.path).toBe(`/v3/businesses/${yelpBusiness.id}/reviews`);
    expect(reviews.query.get('sort_by')).toBe('newest');
    expect(listing).toMatchObject({ source: 'yelp', id: yelpBusiness.id, phone: '+12175550142', address: '123 Main Street, Springfield, IL 62701', reviewCount: 128, latestReviewAt: '2026-11-28T19:41:13Z' });
    expect(listing.hours![4]).toEqual(['11:00-22:00']);
    expect(listing.hours![5]).toEqual(['12:00-00:00']);
  });

  it('finds by phone first, then by term and location', async () => {
    expect(await yelpFind(ep('yelp'), { phone: '+12175550142' })).toBe(yelpBusiness.id);
    expect(fakes.yelp.requests.at(-1)!.path).toBe('/v3/businesses/search/phone');
    expect(await yelpFind(ep('yelp'), { phone: '+12175550000', name: 'Trattoria', address: 'Springfield, IL' })).toBe(yelpBusiness.id);
    expect(fakes.yelp.requests.at(-1)!.query.get('location')).toBe('Springfield, IL');
  });

  it("classifies Yelp's error codes", async () => {
    const invalid = await failure(readYelpBusiness(ep('yelp', 'nope'), yelpBusiness.id));
    expect([invalid.code, invalid.status, invalid.providerCode]).toEqual(['auth', 401, 'TOKEN_INVALID']);
    expect((await failure(readYelpBusiness(ep('yelp'), 'no-such-biz'))).providerCode).toBe('BUSINESS_NOT_FOUND');
    const phone = await failure(yelpFind(ep('yelp'), { phone: '+1217' }));
    expect([phone.code, phone.providerCode]).toEqual(['bad_request', 'VALIDATION_ERROR']);
    fakes.yelp.failNext(1, { status: 429, body: yelpError('TOO_MANY_REQUESTS_PER_SECOND', 'You have exceeded the queries-per-second limit for this endpoint.') });
    expect((await failure(readYelpBusiness(ep('yelp'), yelpBusiness.id))).code).toBe('rate_limited');
    fakes.yelp.failNext(1, { status: 429, body: yelpError('ACCESS_LIMIT_REACHED', 'You have reached the ACCESS limit for this client.') });
    expect((await failure(readYelpBusiness(ep('yelp'), yelpBusiness.id))).providerCode).toBe('ACCESS_LIMIT_REACHED');
  });

  it('reads an alias from a biz URL', () => {
    expect(yelpIdFrom('https://www.yelp.com/biz/trattoria-sole-springfield?osq=pasta')).toBe('trattoria-sole-springfield');
  });
});

describe('Facebook Graph', () => {
  it('reads the page fields with the access token in the query', async () => {
    const listing = await readFacebookPage(ep('facebook'), 'trattoriasole');
    const req = fakes.facebook.requests.at(-1)!;
    expect(req.path).toMatch(/^\/v\d+\.\d+\/trattoriasole$/);
    expect(req.query.get('access_token')).toBe(KEYS.facebook);
    expect(req.query.get('fields')!.split(',')).toEqual(expect.arrayContaining(['name', 'phone', 'single_line_address', 'hours', 'overall_star_rating', 'fan_count']));
    expect(listing).toMatchObject({ id: facebookPage.id, rating: 4.4, reviewCount: 57, fans: 2310, address: '123 Main St., Springfield, Illinois 62701' });
    expect(listing.hours![4]).toEqual(['11:00-23:00']);
    expect(listing.hours![6]).toEqual([]);
  });

  it('classifies Graph error codes', async () => {
    const token = await failure(readFacebookPage(ep('facebook', 'expired'), facebookPage.id));
    expect([token.code, token.providerCode]).toEqual(['auth', '190']);
    const missing = await failure(readFacebookPage(ep('facebook'), '999999'));
    expect([missing.code, missing.providerCode]).toEqual(['not_found', '100/33']);
    fakes.facebook.failNext(1, { status: 403, body: graphError('(#4) Application request limit reached', 'OAuthException', 4) });
    expect((await failure(readFacebookPage(ep('facebook'), facebookPage.id))).code).toBe('rate_limited');
  });

  it('reads a page from facebook.com URLs', () => {
    expect(facebookPageIdFrom('https://www.facebook.com/trattoriasole/')).toBe('trattoriasole');
    expect(facebookPageIdFrom('https://www.facebook.com/profile.php?id=104567890123456')).toBe('104567890123456');
    expect(facebookPageIdFrom('https://www.facebook.com/pages/Trattoria-Sole/104567890123456')).toBe('104567890123456');
    expect(facebookPageIdFrom('https://evil.example/trattoriasole')).toBeNull();
  });
});

describe('lookupListings', () => {
  it('runs the configured providers, keeps each outcome, and never lets one failure spoil the others', async () => {
    fakes.yelp.failNext(1, { status: 500, body: yelpError('INTERNAL_ERROR', 'Something went wrong internally, please try your request later.') });
    const out = await lookupListings({ google: ep('google'), yelp: ep('yelp') }, { name: 'Trattoria Sole', address: '123 Main St, Springfield', phone: '+12175550142' });
    expect(out.map((o) => [o.source, o.status])).toEqual([['google', 'found'], ['yelp', 'error'], ['facebook', 'not_configured']]);
    expect(out[1]).toMatchObject({ code: 'unavailable' });
  });

  it('a refused address is a refusal, not a crash', async () => {
    const out = await lookupListings({ google: { baseURL: fakes.google.url, apiKey: KEYS.google, policy: { allowedPrivate: [] } } }, { name: 'x', address: 'y' });
    expect(out[0]).toMatchObject({ status: 'error', code: 'refused' });
  });
});
