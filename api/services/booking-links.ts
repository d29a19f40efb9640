/**
 * The public booking page's view of a tenant and the signed links it hands out. The page is
 * public, so the tenant is found by its slug (one of the few cross-tenant reads), and only when an
 * admin turned the page on; the .ics link of a booking is `base64url(hmac)` of the tenant and
 * appointment ids, so a visitor can download their own booking and guess no other.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import { bookingPageSettingsSchema, type BookingPageSettings } from '../../core/api/public-booking';
import { AppError } from '../../core/errors';
import { systemEm, type Orm } from '../../db/orm';
import { tenantBySlug } from '../../db/repos';

export interface BookingTenant {
  id: string;
  slug: string;
  name: string;
  page: BookingPageSettings;
}

/** Stored settings were validated on write; a setting written before a default existed still gets it. */
export const bookingPageOf = (stored: unknown): BookingPageSettings => bookingPageSettingsSchema.parse(stored ?? {});

/** The tenant whose booking page is on, or a 404 that does not say whether the slug exists. */
export async function requireBookingTenant(orm: Orm, slug: string): Promise<BookingTenant> {
  const tenant = await tenantBySlug(systemEm(orm), slug);
  const page = tenant ? bookingPageOf(tenant.settings.bookingPage) : null;
  if (!tenant || !page?.enabled) throw new AppError('not_found', 'booking page not found', { field: 'tenantSlug' });
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, page };
}

const linkKey = (platformSecret: Buffer) => Buffer.from(hkdfSync('sha256', platformSecret, Buffer.alloc(0), 'switchboard booking link v1', 32));

export function signBookingLink(platformSecret: Buffer, tenantId: string, appointmentId: string): string {
  return createHmac('sha256', linkKey(platformSecret)).update(`${tenantId}:${appointmentId}`).digest('base64url');
}

export function verifyBookingLink(platformSecret: Buffer, tenantId: string, appointmentId: string, token: string): void {
  if (!constantTimeEqual(token, signBookingLink(platformSecret, tenantId, appointmentId))) {
    throw new AppError('not_found', 'booking not found', { field: 'token' });
  }
}

/** CSP frame-ancestors for the page: the origins the admin named, or any site when none. */
export const frameAncestors = (page: BookingPageSettings) => (page.embedOrigins.length > 0 ? ["'self'", ...page.embedOrigins] : ['*']);
