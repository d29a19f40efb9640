/**
 * The listing lookups of one audit: for each provider with a key (the tenant's, stored encrypted
 * in its settings as `googlePlaces`, `yelp`, `facebookGraph`), find the business by the id the
 * audit was given, else by what the website says (name, address, phone), and read its listing.
 * Providers run in parallel; one failing never fails the others, and every outcome is kept for
 * the report (found, not found, not configured, or a classified error).
 */
import type { AddressPolicy } from '../../net/address-policy';
import { facebookPage, facebookPageIdFrom } from './facebook';
import { googlePlaceDetails, googlePlaceIdFrom, googleTextSearch } from './google-places';
import { ListingProviderError, LISTING_SOURCES, type Listing, type ListingEndpoint, type ListingHints, type ListingLookup, type ListingSource } from './types';
import { yelpBusiness, yelpFind, yelpIdFrom } from './yelp';

export * from './types';
export { describeWeek, fromSchemaOrg, hoursDifferences, WEEKDAYS, type WeeklyHours } from './hours';

/** A provider account as tenant settings keep it (the key encrypted with db/secrets.ts). */
export interface StoredListingAccount {
  baseURL: string;
  apiKeyEncrypted: string;
}

export const LISTING_SETTING_KEYS = { google: 'googlePlaces', yelp: 'yelp', facebook: 'facebookGraph' } as const satisfies Record<ListingSource, string>;
export type ListingSettingKey = (typeof LISTING_SETTING_KEYS)[ListingSource];
export type ListingAccounts = Partial<Record<ListingSettingKey, StoredListingAccount>>;

/** The decrypted endpoints of the configured providers (the caller decrypts: this module reads no database and holds no key box). */
export function listingEndpoints(accounts: ListingAccounts, decrypt: (s: string) => string, policy: AddressPolicy): Partial<Record<ListingSource, ListingEndpoint>> {
  const out: Partial<Record<ListingSource, ListingEndpoint>> = {};
  for (const source of LISTING_SOURCES) {
    const stored = accounts[LISTING_SETTING_KEYS[source]];
    if (stored?.apiKeyEncrypted) out[source] = { baseURL: stored.baseURL, apiKey: decrypt(stored.apiKeyEncrypted), policy };
  }
  return out;
}

async function lookupOne(source: ListingSource, endpoint: ListingEndpoint, hints: ListingHints): Promise<Listing | null> {
  const query = [hints.name, hints.address].filter(Boolean).join(', ');
  switch (source) {
    case 'google': {
      const id = hints.googlePlaceId ? googlePlaceIdFrom(hints.googlePlaceId) : null;
      if (id) return googlePlaceDetails(endpoint, id);
      return query ? googleTextSearch(endpoint, query) : null;
    }
    case 'yelp': {
      const id = (hints.yelpBusinessId ? yelpIdFrom(hints.yelpBusinessId) : null) ?? (await yelpFind(endpoint, hints));
      return id ? yelpBusiness(endpoint, id) : null;
    }
    case 'facebook': {
      // Graph has no search of pages by address for an app token: a page is read only when the audit or the website names it.
      const id = hints.facebookPageId ? facebookPageIdFrom(hints.facebookPageId) : null;
      return id ? facebookPage(endpoint, id) : null;
    }
  }
}

const notFoundDetail: Record<ListingSource, string> = {
  google: 'no Google place matched the id or the name and address',
  yelp: 'no Yelp business matched the id, the phone or the name and address',
  facebook: 'no Facebook page was given or linked from the website',
};

export async function lookupListings(endpoints: Partial<Record<ListingSource, ListingEndpoint>>, hints: ListingHints): Promise<ListingLookup[]> {
  return Promise.all(
    LISTING_SOURCES.map(async (source): Promise<ListingLookup> => {
      const endpoint = endpoints[source];
      if (!endpoint) return { source, status: 'not_configured' };
      try {
        const listing = await lookupOne(source, endpoint, hints);
        return listing ? { source, status: 'found', listing } : { source, status: 'not_found', detail: notFoundDetail[source] };
      } catch (err) {
        if (err instanceof ListingProviderError) {
          if (err.code === 'not_found') return { source, status: 'not_found', detail: err.message };
          return { source, status: 'error', code: err.code, detail: err.message };
        }
        return { source, status: 'error', code: 'unavailable', detail: `${source}: the answer was not understood` };
      }
    }),
  );
}
