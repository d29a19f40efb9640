/** Raw visibility records → the API's run summaries. */
import type { temporal } from '@temporalio/proto';
import type { SearchAttributeName } from '../core/workflows';
import { decodePayload, protoTimeToIso as time } from './proto';

type ExecutionInfo = temporal.api.workflow.v1.IWorkflowExecutionInfo;

const STATUS_NAMES: Record<number, string> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'canceled',
  5: 'terminated',
  6: 'continued_as_new',
  7: 'timed_out',
};

/** `Status`: runs started before the stage attribute was renamed `Stage` carry it under that name. */
function attr(info: ExecutionInfo, name: SearchAttributeName | 'Status'): unknown {
  const payload = info.searchAttributes?.indexedFields?.[name];
  if (!payload) return null;
  const value = decodePayload(payload);
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

export function summarizeExecution(info: ExecutionInfo) {
  const flowVersion = attr(info, 'FlowVersion');
  return {
    workflowId: info.execution?.workflowId ?? '',
    runId: info.execution?.runId ?? '',
    type: info.type?.name ?? '',
    status: STATUS_NAMES[Number(info.status)] ?? 'unknown',
    stage: ((attr(info, 'Stage') ?? attr(info, 'Status')) as string | null) ?? null,
    flowId: (attr(info, 'FlowId') as string | null) ?? null,
    flowVersion: typeof flowVersion === 'number' ? flowVersion : null,
    channel: (attr(info, 'Channel') as string | null) ?? null,
    startTime: time(info.startTime) ?? '',
    closeTime: time(info.closeTime),
  };
}
