/**
 * The tenant's offline intent model, trained from its examples on first use and again whenever
 * they change (examplesVersion), kept per process: training a tenant-sized set takes milliseconds
 * to a second, a version check one query. Shared by the API ("try it") and the labelling job.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { trainIntentModel, type IntentModel } from '../../core/intents/classifier';
import { examplesVersion, trainingExamples } from './intents';

const MAX_CACHED_TENANTS = 200;
const cache = new Map<string, { version: string; model: Promise<IntentModel | null> }>();

/** Null when fewer than two intents have examples: there is nothing to tell apart. */
export async function tenantIntentModel(em: EntityManager, tenantId: string): Promise<IntentModel | null> {
  const version = await examplesVersion(em, tenantId);
  const hit = cache.get(tenantId);
  if (hit?.version === version) return hit.model;
  const model = trainingExamples(em, tenantId).then(({ examples }) => (new Set(examples.map((e) => e.intent)).size < 2 ? null : trainIntentModel(examples)));
  cache.delete(tenantId);
  // Oldest first out: a Map keeps insertion order.
  if (cache.size >= MAX_CACHED_TENANTS) cache.delete(cache.keys().next().value!);
  cache.set(tenantId, { version, model });
  model.catch(() => cache.delete(tenantId));
  return model;
}
