/** The tenant's listing-provider accounts (tenant settings, keys encrypted at rest), decrypted for one audit's listings module. */
import { configPolicy } from '../../net/address-policy';
import { systemEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { secretBoxFromConfig } from '../../db/secrets';
import { listingEndpoints, LISTING_SETTING_KEYS, type ListingAccounts } from '../../presence/providers';
import type { ActivityDeps } from '../deps';

export async function listingEndpointsFor(deps: Pick<ActivityDeps, 'orm' | 'config'>, tenantId: string) {
  const settings = (await tenantById(systemEm(deps.orm), tenantId))?.settings ?? {};
  const accounts: ListingAccounts = {};
  for (const key of Object.values(LISTING_SETTING_KEYS)) if (settings[key]) accounts[key] = settings[key];
  const box = secretBoxFromConfig(deps.config);
  return listingEndpoints(accounts, (s) => box.decrypt(s), configPolicy(deps.config));
}
