/**
 * The tenant's listing-provider accounts for the presence grader (Google Places, Yelp Fusion,
 * Facebook Graph), the provider-settings way: keys encrypted at rest, never shown, kept only for
 * the stored base URL, and a connection test that makes one cheap call and reports a fixed outcome.
 */
import { z } from 'zod';
import { text } from '../../core/api/common';
import type { Config } from '../../core/config';
import { secretBoxFromConfig } from '../../db/secrets';
import { configPolicy } from '../../net/address-policy';
import { facebookPage, FACEBOOK_GRAPH_URL } from '../../presence/providers/facebook';
import { googleTextSearch, GOOGLE_PLACES_URL } from '../../presence/providers/google-places';
import { ListingProviderError, type ListingEndpoint, type ListingSource, type StoredListingAccount } from '../../presence/providers';
import { yelpFind, YELP_URL } from '../../presence/providers/yelp';
import { keptKey, timedTest } from './provider-settings';
import { AppError } from '../../core/errors';

const baseURL = z.url({ message: 'baseURL must be a URL', protocol: /^https?$/ });
const apiKey = text().max(4000).optional();
const body = (url: string) => z.object({ baseURL: baseURL.default(url), apiKey });
export const googlePlacesSettingsBody = body(GOOGLE_PLACES_URL);
export const yelpSettingsBody = body(YELP_URL);
export const facebookGraphSettingsBody = body(FACEBOOK_GRAPH_URL);
/** A connection test's form: the stored account's fields where a field is left out (no defaults, unlike a save). */
export const listingTestBody = z.object({ baseURL: baseURL.optional(), apiKey });
export const listingAccountView = z.object({ configured: z.boolean(), baseURL: z.string().optional(), apiKeySet: z.boolean() });

export const listingAccountToView = (s: StoredListingAccount | undefined) => (s ? { configured: true, baseURL: s.baseURL, apiKeySet: !!s.apiKeyEncrypted } : { configured: false, apiKeySet: false });

export function mergeListingAccount(config: Config, current: StoredListingAccount | undefined, form: { baseURL: string; apiKey?: string }): StoredListingAccount {
  return { baseURL: form.baseURL, apiKeyEncrypted: keptKey(config, form.apiKey, current && { ...current, model: '' }, 'apiKey', form.baseURL) };
}

/** One cheap call that tells whether the key is taken: a search whose "nothing found" is as good an answer as a hit. */
const PROBES: Record<ListingSource, (e: ListingEndpoint) => Promise<unknown>> = {
  google: (e) => googleTextSearch(e, 'restaurant'),
  yelp: (e) => yelpFind(e, { name: 'restaurant', address: 'New York, NY' }),
  facebook: (e) => facebookPage(e, 'facebook'),
};

export function testListingAccount(source: ListingSource) {
  return async (config: Config, current: StoredListingAccount | undefined, form: { baseURL?: string; apiKey?: string }) => {
    const url = form.baseURL ?? current?.baseURL;
    if (!url) throw new AppError('bad_request', 'no account is configured: send baseURL and apiKey', { field: 'baseURL' });
    const sameStored = current && current.baseURL.replace(/\/+$/, '') === url.replace(/\/+$/, '');
    if (form.apiKey === undefined && current && !sameStored) throw new AppError('bad_request', 'the stored key is only sent to the stored baseURL: send apiKey with a new baseURL', { field: 'apiKey' });
    const key = form.apiKey ?? (sameStored && current.apiKeyEncrypted ? secretBoxFromConfig(config).decrypt(current.apiKeyEncrypted) : '');
    const endpoint: ListingEndpoint = { baseURL: url, apiKey: key, policy: configPolicy(config) };
    return timedTest(url, async () => {
      try {
        await PROBES[source](endpoint);
      } catch (err) {
        // An unknown business still proves the key was accepted.
        if (!(err instanceof ListingProviderError) || err.code !== 'not_found') throw Object.assign(new Error(err instanceof Error ? err.message : 'failed'), { status: err instanceof ListingProviderError ? err.status : undefined, cause: err });
      }
      return 'the key was accepted';
    });
  };
}
