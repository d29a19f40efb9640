/** Tenant B's presence-surface objects for the route sweep: a share link on its audit. */
import { tenantEm } from '../../db/orm';
import { createShareLink } from '../../db/repos/presence-surface';
import type { Stack } from '../support/stack';

export async function presenceSurfaceObjects(stack: Stack, tenant: { tenantId: string }, auditId: string) {
  const link = await createShareLink(tenantEm(stack.orm, tenant.tenantId), auditId, null);
  return { presenceShareLink: link.id };
}
