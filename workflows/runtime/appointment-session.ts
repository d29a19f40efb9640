/**
 * State of one `appointment` run: its timers, what the contact is asked, and every change, each
 * serialized through one mutex so a reply, a reschedule and a firing timer never interleave.
 * Timers are plain state (name + instant); the workflow's loop sleeps until the earliest one, and a
 * change bumps `generation` so the loop re-arms for the new plan instead of keeping stale timers.
 */
import { ActivityFailure, ApplicationFailure, log, workflowInfo } from '@temporalio/workflow';
import type { AppointmentChange, AppointmentRecord, AppointmentSnapshot, OfferedSlot } from '../../activities/scheduling/types';
import type { AppointmentNoticeKind, StaffChange } from '../../core/appointment-messages';
import { isOpenStatus, parseChoice, parseReminderAnswer, SLOT_TAKEN_FAILURE, type AppointmentStatus, type AwaitedReply } from '../../core/appointment-answers';
import type { AppointmentInput, AppointmentState, AppointmentTimer } from '../messages';
import { ActivityCaller } from '../flow/activities';
import { Mutex } from '../flow/mutex';
import { setRunAttributes } from './search-attributes';

/** Slots offered when the contact answers R. */
const OFFER_SLOTS = 5;
const CLOSE = 'attendance-window';
const FOLLOW_UP = 'follow-up';

const iso = (ms: number) => new Date(ms).toISOString();
const addMinutes = (at: string, minutes: number) => iso(Date.parse(at) + minutes * 60_000);

export class AppointmentSession {
  readonly activities = new ActivityCaller();
  readonly workflowId = workflowInfo().workflowId;
  private readonly mutex = new Mutex();
  private snap?: AppointmentSnapshot;
  private timers: AppointmentTimer[] = [];
  private awaiting: AwaitedReply | null = null;
  private offered: OfferedSlot[] = [];
  private readonly events: { at: string; event: string }[] = [];
  private seq = 0;
  /** Bumped by every change of plan: the loop's sleep ends and re-arms. */
  generation = 0;
  done = false;

  constructor(private readonly input: AppointmentInput) {}

  get ref() {
    return { tenantId: this.input.tenantId, appointmentId: this.input.appointmentId };
  }

  get status(): AppointmentStatus {
    return this.snap?.status ?? 'booked';
  }

  /** The loaded booking: every operation runs after start() (the mutex orders them). */
  private get booking(): AppointmentSnapshot {
    if (!this.snap) throw new Error('the appointment is not loaded yet');
    return this.snap;
  }

  /** The booking is loaded (the first activity of the run returned). */
  get ready(): boolean {
    return this.snap !== undefined;
  }

  /** Loads the booking, plans its timers and sends the confirmation. */
  start(): Promise<void> {
    return this.mutex.run(async () => {
      this.apply(await this.activities.call('@load', 'loadAppointment', this.ref));
      if (!isOpenStatus(this.booking.status)) {
        this.note(`nothing to do: the booking is ${this.booking.status}`);
        this.done = true;
        return;
      }
      await this.notice('confirmation');
      await this.notifyStaff('booked');
    });
  }

  /** The earliest timer not fired yet. */
  nextTimer(): AppointmentTimer | undefined {
    return this.timers.filter((t) => !t.fired).sort((a, b) => a.at.localeCompare(b.at))[0];
  }

  fire(timer: AppointmentTimer): Promise<void> {
    return this.mutex.run(async () => {
      // A change that ran while this timer came due replaced it: the loop re-arms.
      if (!this.timers.includes(timer) || timer.fired) return;
      timer.fired = true;
      if (timer.name === CLOSE) {
        this.note('attendance window over, nobody marked it');
        this.done = true;
      } else if (timer.name === FOLLOW_UP) {
        await this.notice('followUp');
        this.done = true;
      } else if (isOpenStatus(this.booking.status)) {
        const ask = this.booking.status === 'booked';
        await this.notice('reminder', { ask, awaiting: ask ? { expects: 'answer' } : null });
      } else timer.skipped = true;
    });
  }

  /** The contact's answer to a reminder or to offered slots. A failure is noted, never thrown: a signal handler's failure would fail the run. */
  reply(text: string): Promise<void> {
    return this.mutex.run(() => this.answer(text)).catch((err) => this.note(`reply not handled: ${String((err as Error).message)}`));
  }

  private async answer(text: string): Promise<void> {
    const awaited = this.awaiting;
    if (!awaited || !isOpenStatus(this.booking.status)) return;
    this.note(`reply: ${text.slice(0, 40)}`);
    const choice = awaited.expects === 'choice' ? parseChoice(text, this.offered.length) : null;
    if (choice) {
      await this.rescheduleTo(this.offered[choice - 1], 'customer');
      return;
    }
    const answer = parseReminderAnswer(text);
    if (answer === 'confirm' && awaited.expects === 'answer') {
      await this.change({ type: 'status', status: 'confirmed' });
      await this.notice('confirmed', { awaiting: null });
      await this.notifyStaff('confirmed');
    } else if (answer === 'reschedule') {
      const { slots } = await this.activities.call('@offer', 'offerAppointmentSlots', { ...this.ref, limit: OFFER_SLOTS });
      await this.offer(slots, 'offer');
    } else await this.notice('answerHelp', { awaiting: awaited });
  }

  /** Update `reschedule`: a taken slot fails the update (not the workflow) with the free slots. */
  reschedule(to: OfferedSlot, by: 'customer' | 'staff'): Promise<AppointmentRecord> {
    // From an update a taken slot throws, so there is always a record here.
    return this.mutex.run(async () => (await this.rescheduleTo(to, by, true)) as AppointmentRecord);
  }

  cancel(reason: string, by: 'customer' | 'staff' | 'calendar' | 'system'): Promise<AppointmentRecord> {
    return this.mutex.run(async () => {
      const record = await this.change({ type: 'cancel', reason, by });
      await this.notice('cancelled', { awaiting: null });
      await this.notifyStaff('cancelled');
      this.done = true;
      return record;
    });
  }

  setStatus(status: 'confirmed' | 'completed' | 'no_show'): Promise<AppointmentRecord> {
    return this.mutex.run(async () => {
      const record = await this.change({ type: 'status', status });
      if (status === 'no_show') {
        await this.notifyStaff('no_show');
        this.done = true;
      } else if (status === 'completed') {
        this.clearAwaiting();
        if (this.booking.followUpAfterMinutes > 0) this.timers.push({ name: FOLLOW_UP, at: this.followUpAt(), fired: false });
        else this.done = true;
        this.generation++;
      }
      return record;
    });
  }

  state(): AppointmentState {
    const { status, startsAt, endsAt } = this.snap ?? { status: 'booked' as const, startsAt: '', endsAt: '' };
    return { status, startsAt, endsAt, timers: this.timers.map((t) => ({ ...t })), awaiting: this.awaiting, log: [...this.events] };
  }

  get idle(): boolean {
    return !this.mutex.busy;
  }

  // ---- internals ----

  /** null: the slot was taken and other slots were offered to the contact instead. */
  private async rescheduleTo(to: OfferedSlot, by: 'customer' | 'staff', fromUpdate = false): Promise<AppointmentRecord | null> {
    const previous = this.booking.startsAt;
    let record: AppointmentRecord;
    try {
      record = await this.change({ type: 'reschedule', startsAt: to.startsAt, ...(to.staffId ? { staffId: to.staffId } : {}) });
    } catch (err) {
      const taken = slotTaken(err);
      if (!taken) throw err;
      if (fromUpdate) throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'the slot was just taken', details: [{ nextSlots: taken }], nonRetryable: true });
      await this.offer(taken.map((s) => ({ startsAt: s.startsAt, staffId: s.staffId ?? null })), 'slotTaken');
      return null;
    }
    await this.notice('rescheduled', { awaiting: null });
    await this.notifyStaff('rescheduled', previous);
    this.note(`rescheduled by ${by}`);
    return record;
  }

  private async change(change: AppointmentChange): Promise<AppointmentRecord> {
    const { snapshot, appointment } = await this.activities.call(`@${change.type === 'status' ? change.status : change.type}`, 'changeAppointment', { ...this.ref, change });
    this.apply(snapshot);
    this.note(change.type === 'status' ? change.status : change.type);
    return appointment;
  }

  /** Takes a new snapshot: fired timers stay (they happened), pending ones are replaced by its plan. */
  private apply(snapshot: AppointmentSnapshot): void {
    this.snap = snapshot;
    this.generation++;
    setRunAttributes({ Stage: snapshot.status });
    const kept = this.timers.filter((t) => t.fired || t.name === FOLLOW_UP);
    if (!isOpenStatus(snapshot.status)) {
      this.timers = kept;
      return;
    }
    // The plan was computed on the activity's clock: what is already due here has happened (or is moot).
    const planned = snapshot.reminders.filter((r) => Date.parse(r.at) > Date.now() && !kept.some((t) => t.name === r.name && t.at === r.at)).map((r) => ({ name: r.name, at: r.at, fired: false }));
    this.timers = [...kept, ...planned, { name: CLOSE, at: addMinutes(snapshot.endsAt, snapshot.markWindowMinutes), fired: false }];
  }

  private async offer(slots: OfferedSlot[], kind: 'offer' | 'slotTaken'): Promise<void> {
    if (!slots.length) {
      this.offered = [];
      await this.notice('noSlots', { awaiting: null });
      return;
    }
    this.offered = slots;
    await this.notice(kind, { slots: slots.map((s) => s.startsAt), awaiting: { expects: 'choice', choices: slots.length } });
  }

  private followUpAt(): string {
    return iso(Math.max(Date.now(), Date.parse(this.booking.endsAt)) + this.booking.followUpAfterMinutes * 60_000);
  }

  private clearAwaiting(): void {
    this.awaiting = null;
    this.offered = [];
  }

  /**
   * Stores and sends one message to the contact. `awaiting` (when given) is what the contact is now
   * asked; it is published by the same activity, so the conversation path knows to hand the answer over.
   */
  private async notice(kind: AppointmentNoticeKind, opts: { slots?: string[]; ask?: boolean; awaiting?: AwaitedReply | null } = {}): Promise<void> {
    const key = `${this.workflowId}:${kind}:${++this.seq}`;
    if (opts.awaiting !== undefined) {
      this.awaiting = opts.awaiting;
      if (!opts.awaiting) this.offered = [];
    }
    try {
      const sent = await this.activities.call(`@${kind}`, 'sendAppointmentNotice', { ...this.ref, kind, key, ...opts });
      if (sent.conversation && sent.external) {
        const result = await this.activities.call(`@${kind}`, 'sendChannelMessage', { ...sent.conversation, key });
        if (result.status === 'failed') log.warn('appointment notice refused by the channel', { kind, error: result.error });
      }
      this.note(`${kind} sent (${sent.via})`);
    } catch (err) {
      // A message that cannot go out must not stop the booking's timers: the run page shows it.
      this.note(`${kind} not sent: ${String((err as Error).message)}`);
    }
  }

  private async notifyStaff(change: StaffChange, previousStartsAt?: string): Promise<void> {
    try {
      await this.activities.call('@staff', 'notifyAppointmentStaff', { ...this.ref, change, key: `${this.workflowId}:staff:${++this.seq}`, ...(previousStartsAt ? { previousStartsAt } : {}) });
    } catch (err) {
      this.note(`staff not notified of ${change}: ${String((err as Error).message)}`);
    }
  }

  private note(event: string): void {
    this.events.push({ at: iso(Date.now()), event });
  }
}

/** The free slots of a SlotTaken failure, or null for any other error. */
function slotTaken(err: unknown): { startsAt: string; staffId?: string | null }[] | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== SLOT_TAKEN_FAILURE) return null;
  const details = cause.details?.[0] as { nextSlots?: { startsAt: string; staffId?: string | null }[] } | undefined;
  return details?.nextSlots ?? [];
}
