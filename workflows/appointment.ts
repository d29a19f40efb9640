/**
 * `appointment`: one booking, from the confirmation to the follow-up. Reminders are durable timers
 * planned by the activities (contact timezone, quiet hours, tenant/service settings); the contact's
 * "C" / "R" answer arrives as the `reply` signal from the conversation path; reschedule, cancel,
 * confirm, no-show and complete are updates, so the caller gets the changed booking (or the
 * slot-taken refusal) back. A booking's history stays small (a few dozen events: one per timer,
 * message and change), so the run never needs continue-as-new.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { isOpenStatus } from '../core/appointment-answers';
import {
  appointmentStateQuery,
  calendarDeletedSignal,
  cancelUpdate,
  completeUpdate,
  confirmUpdate,
  noShowUpdate,
  replySignal,
  rescheduleUpdate,
  type AppointmentInput,
  type AppointmentOutcome,
} from './messages';
import { AppointmentSession } from './runtime/appointment-session';
import { setRunAttributes } from './runtime/search-attributes';

export async function appointment(input: AppointmentInput): Promise<AppointmentOutcome> {
  setRunAttributes({ TenantId: input.tenantId });
  const s = new AppointmentSession(input);
  // Before the booking is loaded every change is accepted: it waits for the start.
  const open = (..._args: unknown[]) => {
    if (s.ready && (s.done || !isOpenStatus(s.status))) throw new Error(`the appointment is ${s.status}`);
  };
  const started = s.start();

  // Handlers wait for the start (the session's mutex orders them after it); validators refuse
  // changes to a booking that is over, before anything is written to history.
  setHandler(appointmentStateQuery, () => s.state());
  setHandler(replySignal, async ({ text }) => {
    if (typeof text === 'string' && text.trim()) await s.reply(text);
  });
  setHandler(calendarDeletedSignal, async () => {
    await started;
    // A failed cancel is on the run page; a signal handler's failure would fail the whole run.
    if (!s.done && isOpenStatus(s.status)) await s.cancel('the event was deleted in the staff calendar', 'calendar').catch(() => undefined);
  });
  setHandler(rescheduleUpdate, ({ startsAt, staffId }) => s.reschedule({ startsAt, staffId: staffId ?? null }, 'staff'), {
    validator: (args) => {
      if (!args || typeof args.startsAt !== 'string' || Number.isNaN(Date.parse(args.startsAt))) throw new Error('startsAt must be an ISO date-time');
      open();
    },
  });
  setHandler(cancelUpdate, ({ reason, by }) => s.cancel(reason, by), { validator: open });
  setHandler(confirmUpdate, () => s.setStatus('confirmed'), { validator: open });
  setHandler(noShowUpdate, () => s.setStatus('no_show'), { validator: open });
  setHandler(completeUpdate, () => s.setStatus('completed'), { validator: open });

  await started;
  while (!s.done) {
    const next = s.nextTimer();
    const generation = s.generation;
    const changed = () => s.done || s.generation !== generation;
    const woke = next ? await condition(changed, Math.max(1, Date.parse(next.at) - Date.now())) : (await condition(changed), true);
    if (!woke && next) await s.fire(next);
  }
  await condition(() => allHandlersFinished() && s.idle);
  return { status: s.status };
}
