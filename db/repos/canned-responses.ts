/** Canned responses for the inbox. `em` must be tenant-scoped (tenantEm). */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import { CannedResponse } from '../entities';

/** Flushes; the unique (tenant, shortcut) index turns a taken shortcut into a 409 naming the field. */
async function flushUniqueShortcut(em: EntityManager) {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new AppError('conflict', 'a canned response with this shortcut already exists', { field: 'shortcut' });
    throw err;
  }
}

export const listCannedResponses = (em: EntityManager) => em.find(CannedResponse, {}, { orderBy: { shortcut: 'asc' } });

export async function createCannedResponse(em: EntityManager, tenantId: string, input: { shortcut: string; text: string }): Promise<CannedResponse> {
  const row = em.create(CannedResponse, { tenant: tenantId, ...input });
  await flushUniqueShortcut(em);
  return row;
}

export async function updateCannedResponse(em: EntityManager, id: string, patch: { shortcut?: string; text?: string }): Promise<CannedResponse | null> {
  const row = await em.findOne(CannedResponse, { id });
  if (!row) return null;
  em.assign(row, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
  await flushUniqueShortcut(em);
  return row;
}

export const deleteCannedResponse = async (em: EntityManager, id: string) => (await em.nativeDelete(CannedResponse, { id })) > 0;
