/**
 * `npm run quota -- show <tenant>` and `npm run quota -- set <tenant> <quota>=<value>…`: the platform
 * operator's command line for a tenant's limits (the same change as PUT /v1/operator/tenants/:id/quotas,
 * audited the same way). `<tenant>` is an id or a slug; a value is a whole number (storage may say
 * KB, MB or GB), `unlimited` (0) or `default` (back to the QUOTA_* variable).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { defaultLimits, effectiveLimits, periodKey, PERIOD_QUOTAS, QUOTAS, type QuotaName } from '../core/quotas';
import { changeQuotaOverrides, findTenantId, quotaOverrides, storedBytes, storedUsage } from './repos/quotas';

const UNITS: Record<string, number> = { '': 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseQuotaAssignments(args: string[]): Partial<Record<QuotaName, number | null>> {
  if (!args.length) throw new Error(`name at least one <quota>=<value>; quotas: ${QUOTAS.join(', ')}`);
  const out: Partial<Record<QuotaName, number | null>> = {};
  for (const arg of args) {
    const [name, raw] = arg.split('=');
    if (!(QUOTAS as readonly string[]).includes(name) || raw === undefined) throw new Error(`"${arg}": expected <quota>=<value> with a quota among ${QUOTAS.join(', ')}`);
    const value = raw.trim().toLowerCase();
    const m = /^(\d+)\s*(kb|mb|gb)?$/.exec(value);
    if (value === 'default') out[name as QuotaName] = null;
    else if (value === 'unlimited') out[name as QuotaName] = 0;
    else if (m && (!m[2] || name === 'storage_bytes')) out[name as QuotaName] = Number(m[1]) * UNITS[m[2] ?? ''];
    else throw new Error(`"${arg}": the value is a whole number${name === 'storage_bytes' ? ' (KB, MB or GB allowed)' : ''}, "unlimited" or "default"`);
  }
  return out;
}

async function describe(em: EntityManager, config: Config, tenantId: string) {
  const overrides = await quotaOverrides(em, tenantId);
  const defaults = defaultLimits(config);
  const kept = Object.fromEntries(await Promise.all(PERIOD_QUOTAS.map(async (q) => [q, await storedUsage(em, tenantId, q, periodKey(q))])));
  return { tenantId, defaults, overrides, effective: effectiveLimits(defaults, overrides), usage: { ...kept, storage_bytes: await storedBytes(em, tenantId) } };
}

export async function quotaCommand(em: EntityManager, config: Config, args: string[]): Promise<string> {
  const [action, tenant, ...rest] = args;
  if ((action !== 'show' && action !== 'set') || !tenant) throw new Error('usage: npm run quota -- show <tenant id or slug> | set <tenant> <quota>=<number|unlimited|default>…');
  const tenantId = await findTenantId(em, tenant);
  if (!tenantId) throw new Error(`no tenant with id or slug "${tenant}"`);
  if (action === 'set') {
    await changeQuotaOverrides(em, tenantId, parseQuotaAssignments(rest), {
      label: `operator (command line${process.env.USER ? `: ${process.env.USER}` : ''})`,
      method: 'CLI',
      route: 'npm run quota -- set',
      path: `quota set ${rest.join(' ')}`.slice(0, 500),
      ip: 'local',
      userAgent: null,
    });
  }
  // Usage here is what the worker last wrote to PostgreSQL (every QUOTA_FLUSH_SECONDS); GET /v1/operator/… reads Redis.
  return JSON.stringify(await describe(em, config, tenantId), null, 2);
}
