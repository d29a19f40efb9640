/** One `Quotas` per API process (per Redis client), made on first use from the app's dependencies. */
import { Quotas } from '../../quotas/quotas';
import type { AppDeps } from '../deps';

const made = new WeakMap<object, Quotas>();

export function quotasOf(deps: Pick<AppDeps, 'redis' | 'orm' | 'config'>): Quotas {
  let quotas = made.get(deps.redis);
  if (!quotas) made.set(deps.redis, (quotas = new Quotas(deps.redis, deps.orm, deps.config)));
  return quotas;
}
