/**
 * The tenant's offline intent model, trained from its examples on first use and again whenever
 * they change (examplesVersion), kept per process: training a tenant-sized set takes milliseconds
 * to a second, a version check one query. Shared by the API ("try it") and the labelling job.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { trainIntentModel, type IntentModel } from '../../core/intents/classifier';
import { examplesVersion, trainingExamples } from './intents';
import { BoundedMap } from '../../core/bounded-map';

const MAX_CACHED_TENANTS = 200;
const cache = new BoundedMap<string, { version: string; model: Promise<IntentModel | null> }>(MAX_CACHED_TENANTS);

/** Null when fewer than two intents have examples: there is nothing to tell apart. */
export async function tenantIntentModel(em: EntityManager, tenantId: string): Promise<IntentModel | null> {
  const version = await examplesVersion(em, tenantId);
  const hit = cache.get(tenantId);
  if (hit?.version === version) return hit.model;
  const model = trainingExamples(em, tenantId).then(({ examples }) => (new Set(examples.map((e) => e.intent)).size < 2 ? null : trainIntentModel(examples)));
  // Deleted first, so the refreshed tenant is the newest and the oldest is dropped instead.
  cache.delete(tenantId);
  cache.set(tenantId, { version, model });
  model.catch(() => cache.delete(tenantId));
  return model;
}
