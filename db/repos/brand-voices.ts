/** Brand voices. `em` must be tenant-scoped (tenantEm). */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BrandVoiceFields } from '../../core/campaigns/brand-voice';
import { BrandVoice } from '../entities';

export const listBrandVoices = (em: EntityManager) => em.find(BrandVoice, {}, { orderBy: { isDefault: 'desc', name: 'asc', id: 'asc' } });

export const getBrandVoice = (em: EntityManager, id: string) => em.findOne(BrandVoice, { id });

export const getDefaultBrandVoice = (em: EntityManager) => em.findOne(BrandVoice, { isDefault: true });

/** The voice asked for, else the tenant's default, else none. */
export async function resolveBrandVoice(em: EntityManager, id?: string | null): Promise<BrandVoice | null> {
  return (id ? await getBrandVoice(em, id) : null) ?? (await getDefaultBrandVoice(em));
}

/** One default per tenant (a partial unique index): making one the default unsets the others first. */
async function clearDefault(em: EntityManager, exceptId?: string) {
  await em.nativeUpdate(BrandVoice, exceptId ? { isDefault: true, id: { $ne: exceptId } } : { isDefault: true }, { isDefault: false });
}

export async function createBrandVoice(em: EntityManager, tenantId: string, input: BrandVoiceFields): Promise<BrandVoice> {
  return em.transactional(async (tx) => {
    // The first voice of a tenant is its default: generation then always has one.
    const isDefault = input.isDefault || (await tx.count(BrandVoice, {})) === 0;
    if (isDefault) await clearDefault(tx);
    const row = tx.create(BrandVoice, { tenant: tenantId, ...input, isDefault });
    await tx.flush();
    return row;
  });
}

export async function updateBrandVoice(em: EntityManager, id: string, patch: Partial<BrandVoiceFields>): Promise<BrandVoice | null> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(BrandVoice, { id });
    if (!row) return null;
    if (patch.isDefault) await clearDefault(tx, id);
    tx.assign(row, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    await tx.flush();
    return row;
  });
}

export const deleteBrandVoice = async (em: EntityManager, id: string) => (await em.nativeDelete(BrandVoice, { id })) > 0;
