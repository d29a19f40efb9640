/**
 * The steps of workflows/calendarSync.ts: one sync of a staff member's CalDAV calendar
 * (scheduling/calendar-sync.ts), and the direct cancellation of a booking deleted in the calendar
 * whose appointment workflow no longer runs (through the service layer, so its holds are freed).
 */
import { AppError } from '../../core/errors';
import { secretBox } from '../../channels/directory';
import { tenantEm } from '../../db/orm';
import { calendarStore } from '../../db/repos/calendars';
import { configPolicy } from '../../net/address-policy';
import { syncStaffCalendar } from '../../scheduling/calendar-sync';
import { cancelAppointment } from '../../scheduling/service';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';

export function calendarActivities({ orm, config }: ActivityDeps): Pick<SwitchboardActivities, 'syncStaffCalendar' | 'cancelDeletedAppointment'> {
  return {
    syncStaffCalendar: (input) => {
      const box = secretBox(config);
      return syncStaffCalendar({ store: calendarStore(tenantEm(orm, input.tenantId), input.tenantId), decrypt: (c) => box.decrypt(c), policy: configPolicy(config) }, input);
    },
    async cancelDeletedAppointment({ tenantId, appointmentId }) {
      try {
        await cancelAppointment(tenantEm(orm, tenantId), tenantId, appointmentId, { reason: 'deleted from the staff calendar', by: 'calendar' });
      } catch (err) {
        // Already cancelled or gone: the deletion has nothing left to do.
        if (err instanceof AppError && (err.status === 404 || err.status === 409)) return;
        throw err;
      }
    },
  };
}
