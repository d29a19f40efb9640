import { describe, expect, it } from 'vitest';
import { appointmentWorkflowId, calendarSyncWorkflowId, conversationWorkflowId, flowRunWorkflowId, imapWorkflowId, ingestBatchWorkflowId, ingestWorkflowId, mediaWorkflowId, ownWorkflowId } from './ids';

const T = '6f1d7f4e-1c2b-4d3a-9e8f-0a1b2c3d4e5f';
const OTHER = '0b7e8c4e-6a55-4a8e-9a39-3c0e8f1d2a77';

describe('workflow ids', () => {
  // The run routes read a run's tenant from its id: an id they cannot parse is a run nobody can open.
  const ids = {
    conversation: conversationWorkflowId(T, 'c1'),
    flowRun: flowRunWorkflowId(T, 'k1'),
    media: mediaWorkflowId(T, 'ch1', 'wamid.HBgL:1'),
    bulk: ingestBatchWorkflowId(T, 'i1', 0),
    imap: imapWorkflowId(T, 'ch1'),
    ingest: ingestWorkflowId(T, 'd1', 2),
    calsync: calendarSyncWorkflowId(T, 's1'),
    appointment: appointmentWorkflowId(T, 'a1'),
  };
  it.each(Object.entries(ids))('%s ids belong to their tenant, and only to it', (_kind, id) => {
    expect(ownWorkflowId(T, id, null)).toBe(id);
    expect(() => ownWorkflowId(OTHER, id, null)).toThrow('run not found');
  });
});
