/**
 * The public grader's abuse rules against the real Redis: the signed timing token (too soon, too
 * late, another tenant's), the honeypot, and each limit counted under its own key — per visitor IP,
 * per audited site (per tenant and across tenants), per email, per tenant.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_GRADER_LIMITS } from '../../core/presence-surface';
import { AppError } from '../../core/errors';
import { admitGraderSubmission, SITE_LIMIT_ALL_TENANTS, type GraderSubmission } from '../../api/services/grader-abuse';
import { formToken } from '../../api/services/presence-links';
import { pdfSafe } from '../../api/services/presence-pdf';
import { sharedServers } from '../support/shared-servers';

const secret = randomBytes(32);
const NOW = 1_800_000_000;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(sharedServers().redisUrl);
});
afterAll(() => redis.disconnect());

const submission = (over: Partial<GraderSubmission> = {}): GraderSubmission => {
  const tenantId = over.tenantId ?? randomUUID();
  return { tenantId, ip: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, siteHost: `${randomUUID()}.example`, email: `${randomUUID()}@example.com`, formToken: formToken(secret, tenantId, NOW - 10), ...over };
};

async function refusal(s: GraderSubmission): Promise<AppError> {
  const err = await admitGraderSubmission(redis, secret, s, NOW).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('timing token and honeypot', () => {
  it('admits a form sent a few seconds after it was served', async () => {
    await expect(admitGraderSubmission(redis, secret, submission(), NOW)).resolves.toBeUndefined();
  });

  it('refuses too soon, too late, another tenant’s token, a forged one, and a filled honeypot, naming the field', async () => {
    const t = randomUUID();
    expect((await refusal(submission({ tenantId: t, formToken: formToken(secret, t, NOW - 1) }))).field).toBe('formToken');
    expect((await refusal(submission({ tenantId: t, formToken: formToken(secret, t, NOW - 3601) }))).message).toMatch(/too old/);
    expect((await refusal(submission({ tenantId: t, formToken: formToken(secret, randomUUID(), NOW - 10) }))).message).toMatch(/not valid/);
    expect((await refusal(submission({ tenantId: t, formToken: `${NOW - 10}.forged` }))).message).toMatch(/not valid/);
    expect((await refusal(submission({ company: 'ACME' }))).field).toBe('company');
  });
});

describe('limits', () => {
  const exhaust = async (max: number, make: () => GraderSubmission) => {
    for (let i = 0; i < max; i++) await admitGraderSubmission(redis, secret, make(), NOW);
    const err = await refusal(make());
    expect(err.code).toBe('rate_limited');
    expect((err.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    return err;
  };

  it('per visitor IP', async () => {
    const tenantId = randomUUID();
    const ip = '203.0.113.7';
    expect((await exhaust(PUBLIC_GRADER_LIMITS.perIp.max, () => submission({ tenantId, ip }))).message).toMatch(/from this address/);
  });

  it('per audited site, within a tenant and across tenants', async () => {
    const tenantId = randomUUID();
    const siteHost = `${randomUUID()}.example`;
    expect((await exhaust(PUBLIC_GRADER_LIMITS.perSite.max, () => submission({ tenantId, siteHost }))).message).toMatch(/for this website/);
    const victim = `${randomUUID()}.example`;
    // Many tenants' pages pointed at one site: each tenant stays under its own limit, the site's own limit stops them.
    await exhaust(SITE_LIMIT_ALL_TENANTS.max, () => submission({ siteHost: victim }));
  });

  it('per email address', async () => {
    const tenantId = randomUUID();
    const email = `${randomUUID()}@example.com`;
    expect((await exhaust(PUBLIC_GRADER_LIMITS.perEmail.max, () => submission({ tenantId, email }))).message).toMatch(/for this email address/);
  });
});

describe('PDF text', () => {
  it('keeps WinAnsi text and replaces what Helvetica cannot encode', () => {
    expect(pdfSafe('Café “Sole” – 12 €')).toBe('Café “Sole” – 12 €');
    expect(pdfSafe('東京 ramen 🍜')).toBe('?? ramen ?');
  });
});
