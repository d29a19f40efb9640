/**
 * `/v1/settings/google-places`, `/v1/settings/yelp`, `/v1/settings/facebook-graph`: the tenant's
 * listing-provider accounts the presence grader reads (admin only, like every setting). Without
 * one, that provider's listing is read from the website only, and the report says so.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps';
import * as s from '../services/listing-settings';
import { resourceRoutes } from './settings';

export const listingSettingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const common = { view: s.listingAccountView, testBody: s.listingTestBody, toView: s.listingAccountToView, merge: s.mergeListingAccount };
    resourceRoutes(app, deps, { ...common, key: 'googlePlaces', path: 'google-places', noun: 'Google Places account', without: 'Google listings are read from the website only', body: s.googlePlacesSettingsBody, test: s.testListingAccount('google') });
    resourceRoutes(app, deps, { ...common, key: 'yelp', path: 'yelp', noun: 'Yelp Fusion account', without: 'Yelp listings are read from the website only', body: s.yelpSettingsBody, test: s.testListingAccount('yelp') });
    resourceRoutes(app, deps, { ...common, key: 'facebookGraph', path: 'facebook-graph', noun: 'Facebook Graph account', without: 'Facebook pages are read from the website only', body: s.facebookGraphSettingsBody, test: s.testListingAccount('facebook') });
  };
