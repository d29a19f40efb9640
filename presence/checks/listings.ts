/**
 * Listings and reviews (phase 1): the business on Google, Yelp and Facebook through the tenant's
 * provider accounts (presence/providers/), found by the profile the audit was given, else by what
 * the website's JSON-LD says (name, address, phone, `sameAs` links). Each listing becomes facts
 * for the consistency module. With no account for a provider the check reads only the website:
 * a `sameAs` or page link to the profile is an inferred presence, and the report says the listing
 * itself was not read; the review checks then read the JSON-LD `aggregateRating`, also inferred.
 */
import type { CheerioAPI } from 'cheerio/slim';
import { checkResultOf } from '../../core/presence/rubric';
import type { BusinessFacts, CheckResult, EvidenceItem } from '../../core/presence/types';
import { toDaySpecs } from '../providers/hours';
import { normalizePhone } from '../providers/nap';
import { lookupListings, SOURCE_LABELS, type Listing, type ListingEndpoint, type ListingHints, type ListingLookup, type ListingSource } from '../providers';
import type { CheckContext, CheckModule } from './types';

export const RATING_PASS = 4.5;
export const RATING_WARN = 4.0;
export const REVIEWS_PASS = 100;
export const REVIEWS_WARN = 25;
export const RECENT_PASS_DAYS = 30;
export const RECENT_WARN_DAYS = 90;

const PRESENCE_IDS: Record<ListingSource, string> = { google: 'listings.google', yelp: 'listings.yelp', facebook: 'listings.facebook' };
const PROFILE_HOSTS: Record<ListingSource, RegExp> = {
  google: /(^|\.)(google\.[a-z.]+\/maps|maps\.google\.[a-z.]+|g\.page|maps\.app\.goo\.gl|business\.google\.com)/i,
  yelp: /(^|\.)yelp\.[a-z.]+\/biz\//i,
  facebook: /(^|\.)(facebook|fb)\.com\/(?!sharer|share|plugins|tr\b|dialog)/i,
};
const CLAIM: Record<ListingSource, string> = {
  google: 'Claim or create your Google Business Profile at business.google.com, then link it from your site',
  yelp: 'Claim your business at biz.yelp.com, then link it from your site',
  facebook: 'Create a Facebook page for the business and link it from your site',
};

/** What the homepage says about the business: its JSON-LD business node(s) and links to profiles. */
export interface SiteClaims {
  name?: string;
  address?: string;
  phone?: string;
  /** `addressCountry` (ISO code), to read the phone in. */
  country?: string;
  profileLinks: string[];
  rating?: { value: number; count?: number };
}

const BUSINESS_TYPE = /Restaurant|LocalBusiness|FoodEstablishment|CafeOrCoffeeShop|BarOrPub|Bakery|Store|Organization/i;

function addressText(a: unknown): string | undefined {
  if (typeof a === 'string') return a;
  if (!a || typeof a !== 'object') return undefined;
  const x = a as Record<string, unknown>;
  return [x.streetAddress, x.addressLocality, [x.addressRegion, x.postalCode].filter(Boolean).join(' '), x.addressCountry && typeof x.addressCountry === 'object' ? (x.addressCountry as { name?: string }).name : x.addressCountry]
    .filter((v) => typeof v === 'string' && v.trim())
    .join(', ') || undefined;
}

function nodes(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  return [o, ...nodes(o['@graph'])];
}

export function siteClaims($: CheerioAPI | null, base: URL | null): SiteClaims {
  const claims: SiteClaims = { profileLinks: [] };
  if (!$) return claims;
  $('script[type="application/ld+json"]').each((_, el) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse($(el).text());
    } catch {
      return;
    }
    for (const n of nodes(parsed)) {
      const types = ([] as unknown[]).concat(n['@type'] ?? []).map(String);
      if (!types.some((t) => BUSINESS_TYPE.test(t))) continue;
      claims.name ??= typeof n.name === 'string' ? n.name : undefined;
      claims.address ??= addressText(n.address);
      claims.phone ??= typeof n.telephone === 'string' ? n.telephone : undefined;
      const country = (n.address as { addressCountry?: unknown } | undefined)?.addressCountry;
      if (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country)) claims.country ??= country.toUpperCase();
      for (const s of ([] as unknown[]).concat(n.sameAs ?? [])) if (typeof s === 'string') claims.profileLinks.push(s);
      const r = n.aggregateRating as Record<string, unknown> | undefined;
      const value = Number(r?.ratingValue);
      if (r && Number.isFinite(value) && !claims.rating) {
        const count = Number(r.reviewCount ?? r.ratingCount);
        claims.rating = { value, ...(Number.isFinite(count) ? { count } : {}) };
      }
    }
  });
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href');
    if (!href) return;
    try {
      const url = new URL(href, base ?? undefined);
      if (Object.values(PROFILE_HOSTS).some((re) => re.test(`${url.hostname}${url.pathname}`))) claims.profileLinks.push(url.toString());
    } catch {
      // not a link
    }
  });
  claims.profileLinks = [...new Set(claims.profileLinks)];
  return claims;
}

const linkFor = (source: ListingSource, links: string[]) => links.find((l) => {
  try {
    const u = new URL(l);
    return PROFILE_HOSTS[source].test(`${u.hostname}${u.pathname}`);
  } catch {
    return false;
  }
});

function presenceCheck(lookup: ListingLookup, claims: SiteClaims): CheckResult {
  const id = PRESENCE_IDS[lookup.source];
  const label = SOURCE_LABELS[lookup.source];
  const linked = linkFor(lookup.source, claims.profileLinks);
  const recommendation = { title: `Get listed on ${label}`, action: `${CLAIM[lookup.source]}.` };
  switch (lookup.status) {
    case 'found': {
      const l = lookup.listing;
      if (l.closed) return checkResultOf(id, { status: 'fail', summary: `${label} shows the business as permanently closed.`, evidence: evidenceOf(l), recommendation: { title: `Reopen your ${label} listing`, action: `${label} marks the business as closed: sign in to the listing and mark it open, so it shows in searches again.` } });
      return checkResultOf(id, { status: 'pass', summary: `The business is listed on ${label}.`, evidence: evidenceOf(l) });
    }
    case 'not_found':
      return checkResultOf(id, { status: 'fail', summary: `${label} has no listing that matches the business.`, evidence: [{ label: 'lookup', value: lookup.detail }], recommendation });
    case 'error':
      return checkResultOf(id, { status: 'skipped', summary: `${label} could not be asked (${lookup.code}).`, evidence: [{ label: 'error', value: lookup.detail }] });
    case 'not_configured':
      if (linked) return checkResultOf(id, { status: 'pass', inferred: true, summary: `The website links to a ${label} profile; the listing itself was not read (no ${label} account is configured).`, evidence: [{ label: 'linked from the website', value: linked }] });
      return checkResultOf(id, { status: 'skipped', summary: `No ${label} account is configured and the website does not link to a ${label} profile, so the listing could not be checked.`, evidence: [] });
  }
}

function evidenceOf(l: Listing): EvidenceItem[] {
  return [
    { label: 'listing', value: l.url ?? l.id },
    ...(l.name ? [{ label: 'name', value: l.name }] : []),
    ...(l.address ? [{ label: 'address', value: l.address }] : []),
    ...(l.phone ? [{ label: 'phone', value: l.phone }] : []),
  ];
}

const days = (iso: string, now: Date) => Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);

/** Rating, count and recency over the listings found; from the JSON-LD aggregateRating (inferred) when none was. */
export function reviewChecks(found: Listing[], claims: SiteClaims, now: Date): CheckResult[] {
  const rated = found.filter((l) => typeof l.rating === 'number');
  const out: CheckResult[] = [];
  const ask = { title: 'Ask happy guests for reviews', action: 'Add a "Review us on Google" link (from your Business Profile\'s "Ask for reviews" button) to receipts, the menu and the follow-up email; answer every review, good or bad.' };
  if (rated.length) {
    const count = rated.reduce((s, l) => s + (l.reviewCount ?? 0), 0);
    const avg = count > 0 ? rated.reduce((s, l) => s + (l.rating ?? 0) * (l.reviewCount ?? 0), 0) / count : rated.reduce((s, l) => s + (l.rating ?? 0), 0) / rated.length;
    const evidence = rated.map((l) => ({ label: SOURCE_LABELS[l.source], value: `${l.rating} stars from ${l.reviewCount ?? '?'} reviews` }));
    const r = Math.round(avg * 100) / 100;
    out.push(checkResultOf('reviews.rating', { status: avg >= RATING_PASS ? 'pass' : avg >= RATING_WARN ? 'warn' : 'fail', summary: `Average rating ${r} (weighted by review count).`, evidence, recommendation: { title: 'Raise your rating', action: `Your average is ${r}; reply to the low reviews with what you changed, and ask satisfied guests to review you.` } }));
    out.push(checkResultOf('reviews.count', { status: count >= REVIEWS_PASS ? 'pass' : count >= REVIEWS_WARN ? 'warn' : 'fail', summary: `${count} reviews across ${rated.length} listing${rated.length === 1 ? '' : 's'}.`, evidence, recommendation: ask }));
  } else if (claims.rating) {
    const { value, count } = claims.rating;
    const evidence = [{ label: 'JSON-LD aggregateRating', value: `${value} from ${count ?? '?'} reviews` }];
    out.push(checkResultOf('reviews.rating', { status: value >= RATING_PASS ? 'pass' : value >= RATING_WARN ? 'warn' : 'fail', inferred: true, summary: `The website's structured data claims an average of ${value}; no listing was read to confirm it.`, evidence, recommendation: { title: 'Raise your rating', action: `Your site says ${value}; reply to low reviews and ask satisfied guests to review you.` } }));
    out.push(count === undefined
      ? checkResultOf('reviews.count', { status: 'skipped', summary: 'The structured data gives no review count and no listing was read.', evidence })
      : checkResultOf('reviews.count', { status: count >= REVIEWS_PASS ? 'pass' : count >= REVIEWS_WARN ? 'warn' : 'fail', inferred: true, summary: `The website's structured data claims ${count} reviews.`, evidence, recommendation: ask }));
  } else {
    out.push(checkResultOf('reviews.rating', { status: 'skipped', summary: 'No listing was read and the website states no rating.', evidence: [] }));
    out.push(checkResultOf('reviews.count', { status: 'skipped', summary: 'No listing was read and the website states no review count.', evidence: [] }));
  }
  const dated = found.filter((l) => l.latestReviewAt);
  if (dated.length) {
    const newest = dated.map((l) => l.latestReviewAt!).sort().at(-1)!;
    const age = days(newest, now);
    out.push(checkResultOf('reviews.recency', {
      status: age <= RECENT_PASS_DAYS ? 'pass' : age <= RECENT_WARN_DAYS ? 'warn' : 'fail',
      summary: `The newest review is ${age} day${age === 1 ? '' : 's'} old.`,
      evidence: dated.map((l) => ({ label: SOURCE_LABELS[l.source], value: `newest review ${l.latestReviewAt!.slice(0, 10)}` })),
      recommendation: { title: 'Get fresh reviews', action: `Your newest review is ${age} days old: guests read recent ones first. Ask this week's guests for a review.` },
    }));
  } else {
    out.push(checkResultOf('reviews.recency', { status: 'skipped', summary: found.length ? 'The listings read do not show review dates.' : 'No listing was read, so review dates are unknown.', evidence: [] }));
  }
  return out;
}

/** A listing as the facts the consistency module compares. */
export const listingFacts = (l: Listing): BusinessFacts => ({
  source: l.source,
  ...(l.name ? { name: l.name } : {}),
  ...(l.address ? { address: l.address } : {}),
  ...(l.phone ? { phone: l.phone } : {}),
  ...(l.hours ? { hours: toDaySpecs(l.hours) } : {}),
  ...(l.url ? { url: l.url } : {}),
  ...(l.rating !== undefined ? { rating: l.rating } : {}),
  ...(l.reviewCount !== undefined ? { reviewCount: l.reviewCount } : {}),
});

export async function runListings(ctx: CheckContext, endpoints: Partial<Record<ListingSource, ListingEndpoint>>, now = new Date()) {
  const home = await ctx.site.home();
  const claims = siteClaims(home.$, home.base);
  const hints: ListingHints = {
    googlePlaceId: ctx.profiles.google ?? linkFor('google', claims.profileLinks),
    yelpBusinessId: ctx.profiles.yelp ?? linkFor('yelp', claims.profileLinks),
    facebookPageId: ctx.profiles.facebook ?? linkFor('facebook', claims.profileLinks),
    name: claims.name,
    address: claims.address,
    // Yelp's phone search takes E.164 only.
    phone: normalizePhone(claims.phone, claims.country) ?? undefined,
  };
  const lookups = await lookupListings(endpoints, hints);
  const found = lookups.flatMap((l) => (l.status === 'found' ? [l.listing] : []));
  const notes = lookups.flatMap((l) =>
    l.status === 'not_configured'
      ? [`${SOURCE_LABELS[l.source]}: no account is configured, so only what the website says about it was read.`]
      : l.status === 'error'
        ? [`${SOURCE_LABELS[l.source]} could not be read: ${l.detail}.`]
        : [],
  );
  return {
    checks: [...lookups.map((l) => presenceCheck(l, claims)), ...reviewChecks(found, claims, now)],
    facts: found.map(listingFacts),
    notes,
    sources: found.map((l) => l.source),
  };
}

export const listingsModule: CheckModule = {
  id: 'listings',
  phase: 1,
  checks: ['listings.google', 'listings.yelp', 'listings.facebook', 'reviews.rating', 'reviews.count', 'reviews.recency'],
  run: async (ctx) => runListings(ctx, (await ctx.listings?.()) ?? {}),
};
