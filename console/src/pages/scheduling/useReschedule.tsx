/**
 * Moving a booking: `POST /v1/appointments/:id/reschedule` goes through the appointment's workflow,
 * which checks the slot as a new booking would. A slot someone else took meanwhile answers 409 with
 * the next free slots: the dialog offers them, one click moves the booking there instead.
 */
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { Button, Dialog, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { localDateTime, type Appointment, type Slot } from './types';

interface Taken {
  appointment: Appointment;
  nextSlots: Slot[];
}

export function useReschedule(zone: string, onMoved: () => void) {
  const toast = useToast();
  const [taken, setTaken] = useState<Taken | null>(null);
  const [busy, setBusy] = useState(false);

  const move = async (appointment: Appointment, startsAt: string, staffId?: string | null) => {
    setBusy(true);
    try {
      await api.post(`/v1/appointments/${appointment.id}/reschedule`, { startsAt, ...(staffId ? { staffId } : {}) });
      setTaken(null);
      toast.success(`Moved ${appointment.customerName} to ${localDateTime(startsAt, zone)}`);
      onMoved();
    } catch (err) {
      const nextSlots = err instanceof ApiError && err.status === 409 ? (err.details as { nextSlots?: Slot[] } | undefined)?.nextSlots : undefined;
      if (nextSlots) setTaken({ appointment, nextSlots });
      else toast.error(errorMessage(err));
      onMoved();
    } finally {
      setBusy(false);
    }
  };

  const dialog = (
    <Dialog title="Slot just taken" open={taken !== null} onClose={() => setTaken(null)}>
      <p>That time was booked a moment ago, so {taken?.appointment.customerName}’s booking stays where it was.</p>
      {taken && taken.nextSlots.length > 0 ? (
        <>
          <p>The next free slots:</p>
          <ul className="sc-slot-list" aria-label="Next free slots">
            {taken.nextSlots.map((s) => (
              <li key={`${s.startsAt}-${s.staffId}`}>
                <Button size="sm" variant="secondary" disabled={busy} onClick={() => void move(taken.appointment, s.startsAt, s.staffId)}>
                  {localDateTime(s.startsAt, zone)}
                </Button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>There is no free slot soon after it.</p>
      )}
    </Dialog>
  );
  return { move, busy, dialog };
}
