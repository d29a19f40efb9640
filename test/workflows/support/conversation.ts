import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { conversationWorkflowId } from '../../../core/ids';
import type { conversation } from '../../../workflows/conversation';
import { conversationStateQuery, inboundSignal, turnUpdate, type ConversationInput, type InboundText, type TurnResult } from '../../../workflows/messages';
import { decodePayload } from '../../../temporal/proto';
import { searchAttributePairs } from '../../../workflows/search-attributes';
import type { Harness } from './harness';

/** A test conversation driven like the API does: update-with-start for every turn, started with the API's search attributes. */
export function talk(h: Harness, input: ConversationInput) {
  const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
  const client: Client = h.client;
  return {
    workflowId,
    handle: () => client.workflow.getHandle(workflowId),
    turn(text: string): Promise<TurnResult> {
      return client.workflow.executeUpdateWithStart(turnUpdate, {
        args: [{ text }],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof conversation>('conversation', {
          workflowId,
          taskQueue: h.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: searchAttributePairs({ TenantId: input.tenantId, FlowId: input.flowId, FlowVersion: input.flowVersion, Stage: 'bot', Channel: input.channel }),
        }),
      });
    },
    /** A message of an asynchronous channel, sent as the inbound dispatcher does: `inbound` signal-with-start. */
    inbound(msg: InboundText) {
      return client.workflow.signalWithStart<typeof conversation, [InboundText]>('conversation', {
        workflowId,
        taskQueue: h.taskQueue,
        args: [input],
        signal: inboundSignal,
        signalArgs: [msg],
      });
    },
    /** Texts of a turn's replies. */
    async say(text: string): Promise<string[]> {
      return (await this.turn(text)).replies.map((r) => r.text);
    },
    state: () => client.workflow.getHandle(workflowId).query(conversationStateQuery),
    /** Local activities in history order: their type and the `<nodeId>#<seq>` tag of their summary. */
    async localActivityTags(): Promise<{ type: string; tag: string }[]> {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      return (history.events ?? [])
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
        .map((e) => {
          const data = decodePayload(e.markerRecordedEventAttributes!.details!.data!.payloads![0]) as { activity_type: string };
          const summary = String(decodePayload(e.userMetadata!.summary!));
          return { type: data.activity_type, tag: summary.split(' · ')[1] ?? '' };
        });
    },
  };
}
