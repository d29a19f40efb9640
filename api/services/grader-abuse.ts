/**
 * How the public grader page resists abuse without a captcha. An audit sends requests to a third
 * party's site and spends the tenant's provider quota, and the page mails whatever address is
 * typed in, so the limits are on each of those, not only on the visitor:
 *
 * 1. **Honeypot**: a `company` field hidden from people (off-screen, `aria-hidden`, no tab stop);
 *    form-filling bots fill it. Refused.
 * 2. **Timing**: the page carries a signed form token with the time it was served
 *    (api/services/presence-links.ts); a submission less than GRADER_FORM_MIN_SECONDS later was not
 *    typed by a person, one more than GRADER_FORM_MAX_SECONDS later comes from a stale or
 *    replayed page. A script must fetch the page and wait, which the per-IP limit then meters.
 * 3. **Limits** (fixed windows in Redis, core/presence-surface.ts `PUBLIC_GRADER_LIMITS`): per
 *    visitor IP (5 an hour), per audited site per tenant (3 a day) and across all tenants (20 a
 *    day: no one can point many tenants' pages at one victim), per email address (3 a day: the
 *    page cannot be used to flood an inbox), and per tenant (200 a day).
 *
 * A proof-of-work puzzle was left out: it costs a phone seconds of battery for every honest
 * visitor and a server farm nothing, while the per-site and per-email limits bound the harm any
 * number of IPs can do.
 */
import type { Redis } from 'ioredis';
import { AppError } from '../../core/errors';
import { GRADER_FORM_MAX_SECONDS, GRADER_FORM_MIN_SECONDS, PUBLIC_GRADER_LIMITS } from '../../core/presence-surface';
import { formIssuedAt } from './presence-links';
import { countHit, type RateLimit } from './rate-limit';

export const SITE_LIMIT_ALL_TENANTS: RateLimit = { max: 20, windowSeconds: 86_400 };

export interface GraderSubmission {
  tenantId: string;
  ip: string;
  siteHost: string;
  email: string;
  formToken: string;
  company?: string;
}

async function within(redis: Redis, key: string, limit: RateLimit, what: string): Promise<void> {
  const { count, ttl } = await countHit(redis, key, limit.windowSeconds);
  if (count > limit.max) throw new AppError('rate_limited', `too many reports ${what}: try again in ${Math.max(1, ttl)} s`, { details: { retryAfterSeconds: Math.max(1, ttl) } });
}

export async function admitGraderSubmission(redis: Redis, secret: Buffer, s: GraderSubmission, nowSec = Math.floor(Date.now() / 1000)): Promise<void> {
  if (s.company) throw new AppError('bad_request', 'the form could not be accepted', { field: 'company' });
  const issued = formIssuedAt(secret, s.tenantId, s.formToken);
  if (issued === null) throw new AppError('bad_request', 'the form token is not valid: reload the page', { field: 'formToken' });
  const age = nowSec - issued;
  if (age < GRADER_FORM_MIN_SECONDS) throw new AppError('bad_request', 'the form was sent too quickly: wait a moment and send it again', { field: 'formToken' });
  if (age > GRADER_FORM_MAX_SECONDS) throw new AppError('bad_request', 'the page is too old: reload it and send the form again', { field: 'formToken' });
  const L = PUBLIC_GRADER_LIMITS;
  await within(redis, `grader-ip:${s.tenantId}:${s.ip}`, L.perIp, 'from this address');
  await within(redis, `grader-site:${s.tenantId}:${s.siteHost}`, L.perSite, 'for this website');
  await within(redis, `grader-site-all:${s.siteHost}`, SITE_LIMIT_ALL_TENANTS, 'for this website');
  await within(redis, `grader-email:${s.tenantId}:${s.email}`, L.perEmail, 'for this email address');
  await within(redis, `grader-tenant:${s.tenantId}`, L.perTenant, 'today');
}
