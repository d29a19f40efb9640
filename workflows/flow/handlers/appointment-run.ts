/**
 * Starts a booking's `appointment` run from flow code (the bookAppointment node, the AI reply's
 * `book` tool) and runs the AI reply's booking tools. Workflow code has no Temporal client, so the run is a child whose parent close
 * policy is ABANDON: it outlives this conversation's run and its continue-as-new.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { isCancellation, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { ToolCall } from '../../../activities/types';
import { errorMessage } from '../errors';
import { searchAttributePairs } from '../../search-attributes';
import type { FlowRuntime } from '../types';

/** The same id as core/ids.ts appointmentWorkflowId, which workflow code cannot import (node:crypto). */
const appointmentRunId = (tenantId: string, appointmentId: string) => `appt:${tenantId}:${appointmentId}`;

export async function startAppointmentRun(rt: FlowRuntime, appointmentId: string): Promise<void> {
  try {
    await startChild('appointment', {
      workflowId: appointmentRunId(rt.tenantId, appointmentId),
      args: [{ tenantId: rt.tenantId, appointmentId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: searchAttributePairs({ TenantId: rt.tenantId }),
    });
  } catch (err) {
    // The same booking came back for the same key (a retried turn): its run is already going.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** One of the AI reply's booking tools; a new booking gets its run. A failing tool is reported to the model, not to the flow. */
export async function runAppointmentTool(nodeId: string, rt: FlowRuntime, call: ToolCall): Promise<string> {
  try {
    const { content, bookedId } = await rt.activities.call(nodeId, 'appointmentTool', {
      tenantId: rt.tenantId,
      ...(rt.conversationId ? { conversationId: rt.conversationId } : {}),
      name: call.function.name,
      arguments: call.function.arguments,
      idempotencyKey: rt.key(nodeId),
    });
    if (bookedId) await startAppointmentRun(rt, bookedId);
    return content;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return `Error: the booking tool failed (${errorMessage(err)}).`;
  }
}
