/**
 * Google Places API (New): Text Search (`POST /v1/places:searchText`, body `{textQuery}`) and
 * Place Details (`GET /v1/places/{placeId}`), the key in `X-Goog-Api-Key` and the fields asked
 * for in `X-Goog-FieldMask` (the API refuses a request without one, and bills by the fields).
 * Errors are Google's `{error: {code, message, status, details}}`: `INVALID_ARGUMENT` (400, also
 * an invalid key: `API_KEY_INVALID` in details), `PERMISSION_DENIED` (403), `NOT_FOUND` (404),
 * `RESOURCE_EXHAUSTED` (429), `UNAVAILABLE`/`INTERNAL` (5xx).
 */
import { fromGooglePeriods } from './hours';
import { codeOfStatus, providerJson } from './http';
import { ListingProviderError, type Listing, type ListingEndpoint } from './types';

export const GOOGLE_PLACES_URL = 'https://places.googleapis.com';

const FIELDS = ['id', 'displayName', 'formattedAddress', 'nationalPhoneNumber', 'internationalPhoneNumber', 'rating', 'userRatingCount', 'regularOpeningHours', 'websiteUri', 'googleMapsUri', 'businessStatus', 'reviews'];

export interface GooglePlace {
  id: string;
  displayName?: { text: string; languageCode?: string };
  formattedAddress?: string;
  nationalPhoneNumber?: string;
  internationalPhoneNumber?: string;
  rating?: number;
  userRatingCount?: number;
  regularOpeningHours?: { openNow?: boolean; periods?: { open?: { day: number; hour: number; minute: number }; close?: { day: number; hour: number; minute: number } }[]; weekdayDescriptions?: string[] };
  websiteUri?: string;
  googleMapsUri?: string;
  businessStatus?: 'OPERATIONAL' | 'CLOSED_TEMPORARILY' | 'CLOSED_PERMANENTLY';
  reviews?: { name?: string; rating?: number; publishTime?: string; text?: { text: string } }[];
}

function readError(status: number, body: unknown): ListingProviderError {
  const e = (body as { error?: { status?: string; message?: string; details?: { reason?: string }[] } } | undefined)?.error;
  const reason = e?.details?.find((d) => d.reason)?.reason;
  const providerCode = reason ?? e?.status;
  const code = reason === 'API_KEY_INVALID' || e?.status === 'PERMISSION_DENIED' || e?.status === 'UNAUTHENTICATED'
    ? 'auth'
    : e?.status === 'NOT_FOUND'
      ? 'not_found'
      : e?.status === 'RESOURCE_EXHAUSTED'
        ? 'rate_limited'
        : codeOfStatus(status);
  return new ListingProviderError('google', code, `Google Places answered HTTP ${status}${providerCode ? ` ${providerCode}` : ''}`, status, providerCode);
}

const headers = (endpoint: ListingEndpoint, prefix: string) => ({ 'x-goog-api-key': endpoint.apiKey, 'x-goog-fieldmask': FIELDS.map((f) => prefix + f).join(',') });

export function googleListing(p: GooglePlace): Listing {
  const newest = (p.reviews ?? []).map((r) => r.publishTime).filter((t): t is string => !!t).sort().at(-1);
  return {
    source: 'google',
    id: p.id,
    url: p.googleMapsUri,
    name: p.displayName?.text,
    phone: p.internationalPhoneNumber ?? p.nationalPhoneNumber,
    address: p.formattedAddress,
    website: p.websiteUri,
    rating: p.rating,
    reviewCount: p.userRatingCount,
    latestReviewAt: newest,
    hours: p.regularOpeningHours?.periods ? fromGooglePeriods(p.regularOpeningHours.periods) : undefined,
    closed: p.businessStatus === 'CLOSED_PERMANENTLY',
  };
}

export async function googlePlaceDetails(endpoint: ListingEndpoint, placeId: string): Promise<Listing> {
  const place = await providerJson<GooglePlace>('google', endpoint, `/v1/places/${encodeURIComponent(placeId)}`, { headers: headers(endpoint, '') }, readError);
  return googleListing(place);
}

/** The best match of a text search ("name, address"), or null when Google has none. */
export async function googleTextSearch(endpoint: ListingEndpoint, textQuery: string): Promise<Listing | null> {
  const res = await providerJson<{ places?: GooglePlace[] }>('google', endpoint, '/v1/places:searchText', { method: 'POST', headers: headers(endpoint, 'places.'), body: { textQuery, pageSize: 1 } }, readError);
  const first = res.places?.[0];
  return first ? googleListing(first) : null;
}

/** A place id from what the audit was given: the id itself, or a Maps URL carrying `place_id:` / `query_place_id=`. */
export function googlePlaceIdFrom(value: string): string | null {
  const v = value.trim();
  if (/^[A-Za-z0-9_-]{10,}$/.test(v)) return v;
  const m = /(?:place_id[:=]|query_place_id=)([A-Za-z0-9_-]{10,})/.exec(v);
  return m ? m[1] : null;
}
