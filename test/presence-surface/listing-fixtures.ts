/** One restaurant as the three providers describe it, and the fakes holding it: shared by the adapter, check and API tests. */
import type { GooglePlace } from '../../presence/providers/google-places';
import type { YelpBusiness, YelpReview } from '../../presence/providers/yelp';
import type { FacebookPage } from '../../presence/providers/facebook';
import { startFakeFacebookGraph } from '../fakes/listings/facebook';
import { startFakeGooglePlaces } from '../fakes/listings/google-places';
import { startFakeYelp } from '../fakes/listings/yelp';

export const KEYS = { google: 'AIzaFakeKey-123', yelp: 'yelp-fake-key', facebook: 'EAAB-fake-token' };

export const googlePlace: GooglePlace = {
  id: 'ChIJN1t_tDeuEmsRUsoyG83frY4',
  displayName: { text: 'Trattoria Sole', languageCode: 'en' },
  formattedAddress: '123 Main St, Springfield, IL 62701, USA',
  nationalPhoneNumber: '(217) 555-0142',
  internationalPhoneNumber: '+1 217-555-0142',
  rating: 4.6,
  userRatingCount: 312,
  regularOpeningHours: {
    openNow: true,
    periods: [1, 2, 3, 4, 5].map((day) => ({ open: { day, hour: 11, minute: 0 }, close: { day, hour: 22, minute: 0 } })).concat([{ open: { day: 6, hour: 12, minute: 0 }, close: { day: 0, hour: 0, minute: 0 } }]),
    weekdayDescriptions: [],
  },
  websiteUri: 'https://trattoria-sole.example/',
  googleMapsUri: 'https://maps.google.com/?cid=123',
  businessStatus: 'OPERATIONAL',
  reviews: [
    { name: 'places/x/reviews/1', rating: 5, publishTime: '2026-11-20T18:03:11.123Z', text: { text: 'Lovely' } },
    { name: 'places/x/reviews/2', rating: 4, publishTime: '2026-10-02T10:00:00Z', text: { text: 'Good' } },
  ],
};

export const yelpBusiness: YelpBusiness = {
  id: 'WavvLdfdP6g8aZTtbBQHTw',
  alias: 'trattoria-sole-springfield',
  name: 'Trattoria Sole',
  url: 'https://www.yelp.com/biz/trattoria-sole-springfield',
  is_closed: false,
  rating: 4.5,
  review_count: 128,
  phone: '+12175550142',
  display_phone: '(217) 555-0142',
  location: { address1: '123 Main Street', address2: '', address3: null, city: 'Springfield', zip_code: '62701', state: 'IL', country: 'US', display_address: ['123 Main Street', 'Springfield, IL 62701'] },
  hours: [{ hour_type: 'REGULAR', is_open_now: true, open: [0, 1, 2, 3, 4].map((day) => ({ day, start: '1100', end: '2200', is_overnight: false })).concat([{ day: 5, start: '1200', end: '0000', is_overnight: false }]) }],
};

export const yelpReviews: YelpReview[] = [
  { id: 'r1', rating: 5, text: 'Great pasta', time_created: '2026-11-28 19:41:13' },
  { id: 'r2', rating: 3, text: 'Slow', time_created: '2026-09-01 12:00:00' },
];

export const facebookPage: FacebookPage & { username: string } = {
  id: '104567890123456',
  username: 'trattoriasole',
  name: 'Trattoria Sole',
  phone: '(217) 555-0199',
  single_line_address: '123 Main St., Springfield, Illinois 62701',
  hours: { mon_1_open: '11:00', mon_1_close: '22:00', tue_1_open: '11:00', tue_1_close: '22:00', wed_1_open: '11:00', wed_1_close: '22:00', thu_1_open: '11:00', thu_1_close: '22:00', fri_1_open: '11:00', fri_1_close: '23:00', sat_1_open: '12:00', sat_1_close: '00:00' },
  overall_star_rating: 4.4,
  rating_count: 57,
  fan_count: 2310,
  website: 'https://trattoria-sole.example',
  link: 'https://www.facebook.com/trattoriasole',
};

export async function startListingFakes() {
  const [google, yelp, facebook] = await Promise.all([startFakeGooglePlaces(KEYS.google), startFakeYelp(KEYS.yelp), startFakeFacebookGraph(KEYS.facebook)]);
  google.addPlace(googlePlace);
  yelp.addBusiness(yelpBusiness, yelpReviews);
  facebook.addPage(facebookPage);
  return { google, yelp, facebook, close: () => Promise.all([google.close(), yelp.close(), facebook.close()]) };
}
