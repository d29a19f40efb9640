/**
 * The `appointment` workflow's client: started after a booking (idempotent: the same booking keeps
 * its one run), changed through its updates so the caller gets the changed booking or the refusal
 * back, and signalled by calendar sync. A booking whose run has ended (cancelled, or past its
 * attendance window) is `AppointmentRunClosedError`: the caller changes the row directly.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { AppointmentDto as AppointmentRecord } from '../core/api/scheduling';
import { SLOT_TAKEN_FAILURE } from '../core/appointment-answers';
import { AppError } from '../core/errors';
import { appointmentWorkflowId, TASK_QUEUE } from '../core/ids';
import { calendarDeletedSignal, cancelUpdate, completeUpdate, confirmUpdate, noShowUpdate, rescheduleUpdate, type CancelArgs, type RescheduleArgs } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export interface AppointmentRunRef {
  tenantId: string;
  appointmentId: string;
}

/** A change refused because the slot is taken: the next free slots come with it. */
export class AppointmentSlotTakenError extends Error {
  constructor(readonly nextSlots: unknown[]) {
    super('the slot was just taken');
  }
}

/** The booking's run is over: nothing to move, the row is changed directly. */
export class AppointmentRunClosedError extends Error {}

/** Starts the booking's run; a run already going (a retried request, the same idempotency key) is kept. */
export async function startAppointment(client: Client, ref: AppointmentRunRef, taskQueue = TASK_QUEUE): Promise<string> {
  const workflowId = appointmentWorkflowId(ref.tenantId, ref.appointmentId);
  try {
    await client.workflow.start('appointment', {
      workflowId,
      taskQueue,
      args: [{ tenantId: ref.tenantId, appointmentId: ref.appointmentId }],
      typedSearchAttributes: searchAttributePairs({ TenantId: ref.tenantId }),
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A booking has one run: a retried booking after its run ended must not confirm it again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}

export function rescheduleViaWorkflow(client: Client, tenantId: string, id: string, args: RescheduleArgs): Promise<AppointmentRecord> {
  return update(client, tenantId, id, (h) => h.executeUpdate(rescheduleUpdate, { args: [args] }));
}

export function cancelViaWorkflow(client: Client, tenantId: string, id: string, args: CancelArgs): Promise<AppointmentRecord> {
  return update(client, tenantId, id, (h) => h.executeUpdate(cancelUpdate, { args: [args] }));
}

export function markViaWorkflow(client: Client, tenantId: string, id: string, status: 'confirmed' | 'completed' | 'no_show'): Promise<AppointmentRecord> {
  const def = status === 'confirmed' ? confirmUpdate : status === 'completed' ? completeUpdate : noShowUpdate;
  return update(client, tenantId, id, (h) => h.executeUpdate(def));
}

/** The staff calendar's event is gone: the run cancels the booking (a run already over ignores it). */
export async function calendarDeletedViaWorkflow(client: Client, tenantId: string, id: string): Promise<void> {
  try {
    await client.workflow.getHandle(appointmentWorkflowId(tenantId, id)).signal(calendarDeletedSignal, {});
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

async function update(client: Client, tenantId: string, id: string, run: (h: Handle) => Promise<AppointmentRecord>): Promise<AppointmentRecord> {
  const handle = client.workflow.getHandle(appointmentWorkflowId(tenantId, id));
  try {
    return await run(handle);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || isClosedError(err)) throw new AppointmentRunClosedError(`the appointment's run is over`);
    if (err instanceof WorkflowUpdateFailedError) {
      // A refusal by the scheduling service arrives wrapped in the activity's failure.
      const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
      if (cause instanceof ApplicationFailure && cause.type === SLOT_TAKEN_FAILURE) {
        throw new AppointmentSlotTakenError((cause.details?.[0] as { nextSlots?: unknown[] } | undefined)?.nextSlots ?? []);
      }
      // The validator's refusal ("the appointment is cancelled") or the service's (not found, invalid time).
      const reason = (cause as Error | undefined)?.message ?? err.message;
      const type = cause instanceof ApplicationFailure ? cause.type : null;
      if (type === 'not_found') throw new AppError('not_found', reason, { field: 'id' });
      if (type === 'validation_failed' || type === 'bad_request') throw new AppError('validation_failed', reason, { field: 'startsAt' });
      throw new AppError('conflict', reason, { field: 'id' });
    }
    throw err;
  }
}

/** An update to a run that has completed: the server answers NOT_FOUND ("workflow execution already completed"). */
function isClosedError(err: unknown): boolean {
  return err instanceof Error && /already completed|not found/i.test(err.message) && !(err instanceof WorkflowUpdateFailedError);
}
