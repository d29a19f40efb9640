/** A bookable catalog (location, one staff member with an email, one 30-minute service) in an existing tenant. */
import { Location, Service, StaffMember } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { createCatalogRow } from '../../db/repos';
import { ALL_WEEK } from '../scheduling/fixtures';

export async function bookableCatalog(orm: Orm, tenantId: string, timezone = 'Europe/Berlin') {
  const em = tenantEm(orm, tenantId);
  const location = await createCatalogRow(em, Location, tenantId, { name: 'Main street', timezone, address: '' });
  const staff = await createCatalogRow(em, StaffMember, tenantId, { location: location.id, name: 'Dana', email: 'dana@example.test', weeklyHours: ALL_WEEK });
  const service = await createCatalogRow(em, Service, tenantId, { location: location.id, name: 'Haircut', durationMinutes: 30, slotIntervalMinutes: 30, staffIds: [staff.id], resourceIds: [] });
  return { location, staff, service };
}
