/**
 * What a listing provider (Google Places, Yelp Fusion, Facebook Graph) tells about a business,
 * in one shape the listing and consistency checks compare: the provider's own values kept as
 * they came (name, phone, address as written), hours turned into one weekly form (hours.ts).
 */
import type { AddressPolicy } from '../../net/address-policy';
import type { WeeklyHours } from './hours';

export const LISTING_SOURCES = ['google', 'yelp', 'facebook'] as const;
export type ListingSource = (typeof LISTING_SOURCES)[number];

export const SOURCE_LABELS: Record<ListingSource, string> = { google: 'Google Business Profile', yelp: 'Yelp', facebook: 'Facebook' };

/** One configured provider account: its base URL (the real API, or a local fake in tests), the key, the policy every request obeys. */
export interface ListingEndpoint {
  baseURL: string;
  apiKey: string;
  policy: AddressPolicy;
  timeoutMs?: number;
}

export interface Listing {
  source: ListingSource;
  /** The provider's id (place id, Yelp business id, page id). */
  id: string;
  url?: string;
  name?: string;
  phone?: string;
  address?: string;
  website?: string;
  rating?: number;
  reviewCount?: number;
  /** ISO time of the newest review the provider showed, when it shows reviews. */
  latestReviewAt?: string;
  hours?: WeeklyHours;
  /** Permanently closed by the provider's account. */
  closed?: boolean;
}

/** Ids or profile URLs the audit was given; absent ones are searched by name and address where the provider can. */
export interface ListingHints {
  googlePlaceId?: string;
  yelpBusinessId?: string;
  facebookPageId?: string;
  name?: string;
  address?: string;
  phone?: string;
}

export type ListingLookup =
  | { source: ListingSource; status: 'found'; listing: Listing }
  | { source: ListingSource; status: 'not_found'; detail: string }
  | { source: ListingSource; status: 'not_configured' }
  | { source: ListingSource; status: 'error'; code: ListingErrorCode; detail: string };

export type ListingErrorCode = 'auth' | 'not_found' | 'rate_limited' | 'bad_request' | 'unavailable' | 'refused';

/** A provider's refusal or failure, classified; `providerCode` is the provider's own (`TOKEN_INVALID`, `PERMISSION_DENIED`, Graph `190`). */
export class ListingProviderError extends Error {
  constructor(
    readonly source: ListingSource,
    readonly code: ListingErrorCode,
    message: string,
    readonly status?: number,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ListingProviderError';
  }
}
