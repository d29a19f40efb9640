/**
 * Facebook Graph API: a Page's public fields, `GET /{version}/{page-id}?fields=name,phone,
 * single_line_address,hours,overall_star_rating,rating_count,fan_count,website,link` with an
 * `access_token` (an app token reads public pages). Errors are Graph's `{error: {message, type,
 * code, error_subcode, fbtrace_id}}`: code 190 (token invalid or expired, `OAuthException`), 100
 * (bad parameter; with subcode 33 the object does not exist or cannot be read), 10/200 (permission),
 * 4, 17, 32, 613 (rate limits), 1/2 (temporary).
 */
import { fromFacebookHours } from './hours';
import { codeOfStatus, providerJson } from './http';
import { ListingProviderError, type Listing, type ListingEndpoint, type ListingErrorCode } from './types';

export const FACEBOOK_GRAPH_URL = 'https://graph.facebook.com';
export const FACEBOOK_GRAPH_VERSION = 'v21.0';
export const FACEBOOK_PAGE_FIELDS = ['name', 'phone', 'single_line_address', 'hours', 'overall_star_rating', 'rating_count', 'fan_count', 'website', 'link'];

export interface FacebookPage {
  id: string;
  name?: string;
  phone?: string;
  single_line_address?: string;
  hours?: Record<string, string>;
  overall_star_rating?: number;
  rating_count?: number;
  fan_count?: number;
  website?: string;
  link?: string;
}

function codeOf(code: number | undefined, subcode: number | undefined, status: number): ListingErrorCode {
  if (code === 190 || code === 10 || code === 200 || code === 102) return 'auth';
  if (code === 100 && subcode === 33) return 'not_found';
  if (code === 803) return 'not_found';
  if (code === 4 || code === 17 || code === 32 || code === 613) return 'rate_limited';
  if (code === 1 || code === 2) return 'unavailable';
  if (code === 100) return 'bad_request';
  return codeOfStatus(status);
}

function readError(status: number, body: unknown): ListingProviderError {
  const e = (body as { error?: { code?: number; error_subcode?: number; type?: string } } | undefined)?.error;
  const providerCode = e?.code !== undefined ? `${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''}` : undefined;
  return new ListingProviderError('facebook', codeOf(e?.code, e?.error_subcode, status), `Facebook Graph answered HTTP ${status}${providerCode ? ` code ${providerCode}` : ''}`, status, providerCode);
}

export function facebookListing(p: FacebookPage): Listing {
  return {
    source: 'facebook',
    id: p.id,
    url: p.link,
    name: p.name,
    phone: p.phone,
    address: p.single_line_address,
    website: p.website,
    rating: p.overall_star_rating,
    reviewCount: p.rating_count,
    hours: p.hours ? fromFacebookHours(p.hours) : undefined,
  };
}

export async function facebookPage(endpoint: ListingEndpoint, pageId: string): Promise<Listing & { fans?: number }> {
  const page = await providerJson<FacebookPage>(
    'facebook',
    endpoint,
    `/${FACEBOOK_GRAPH_VERSION}/${encodeURIComponent(pageId)}`,
    { query: { fields: FACEBOOK_PAGE_FIELDS.join(','), access_token: endpoint.apiKey } },
    readError,
  );
  return { ...facebookListing(page), fans: page.fan_count };
}

/** A page id or username from what the audit was given: the id, or a facebook.com URL (`/pages/Name/123`, `/profile.php?id=123`, `/username`). */
export function facebookPageIdFrom(value: string): string | null {
  const v = value.trim();
  if (/^[A-Za-z0-9.]+$/.test(v)) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  if (!/(^|\.)facebook\.com$|(^|\.)fb\.com$/i.test(url.hostname)) return null;
  const id = url.searchParams.get('id');
  if (id && /^\d+$/.test(id)) return id;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] === 'pages' && parts.length >= 3 && /^\d+$/.test(parts[2])) return parts[2];
  return parts[0] && /^[A-Za-z0-9.]+$/.test(parts[0]) && !['sharer', 'sharer.php', 'share', 'profile.php', 'plugins', 'tr'].includes(parts[0]) ? parts[0] : null;
}
