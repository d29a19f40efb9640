/** A tenant's finished presence audit, written directly: the sweeps need its id, not a run. */
import type { Stack } from '../support/stack';
import { presenceStore } from '../../presence/store';

export async function presenceObjects(stack: Stack, tenant: { tenantId: string }) {
  const row = await presenceStore(stack.orm).insert({ tenantId: tenant.tenantId, url: 'https://sweep.example/', profiles: {}, brandVoiceId: null, createdBy: 'sweep' });
  await presenceStore(stack.orm).fail(tenant.tenantId, row.id, 'written by the sweep fixture');
  return { presenceAudit: row.id };
}
