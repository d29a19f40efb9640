/**
 * Fake activities for workflow tests: every call is recorded with its workflow id, activity id
 * and attempt; behaviour can be replaced per test through `impl`.
 */
import { Context } from '@temporalio/activity';
import type { SwitchboardActivities } from '../../../activities/types';

type Acts = SwitchboardActivities;
type Name = keyof Acts;

export interface RecordedCall {
  name: Name;
  input: any;
  workflowId: string;
  activityId: string;
  attempt: number;
}

const defaults = (): Acts => ({
  recordInbound: async ({ key }) => ({ messageId: key }),
  deliverMessage: async ({ message }) => ({ ...message, id: `msg-${message.key}`, createdAt: new Date(0).toISOString() }),
  llmChat: async () => ({
    provider: 'openai-compatible',
    content: 'LLM answer',
    toolCalls: [],
    usage: { promptTokens: 10, completionTokens: 5, costUsd: 0.001, model: 'fake' },
  }),
  callTool: async ({ arguments: args }) => ({ content: `tool saw ${args}` }),
  summarize: async ({ summary, messages }) => ({ summary: [summary, ...messages.map((m) => String(m.content))].filter(Boolean).join(' | ') }),
  httpRequest: async () => ({ ok: true, status: 200, variables: {} }),
  updateConversation: async () => {},
  emitEvent: async () => {},
  publishNodeStatus: async () => {},
  sendChannelMessage: async ({ key }) => ({ status: 'sent', providerMessageId: `fake-${key}` }),
  searchKnowledge: async () => ({ passages: [] }),
  fetchDocumentSource: async () => ({ byteSize: 0, mimeType: 'text/plain' }),
  indexDocumentVersion: async () => ({ chunkCount: 0, embedded: 0, cached: 0 }),
  activateDocumentVersion: async () => ({ activated: true }),
  failDocumentVersion: async () => {},
  indexDocumentBatch: async ({ documentIds }) => ({ ready: documentIds.length, failed: 0 }),
  failDocumentBatch: async ({ documentIds }) => ({ ready: 0, failed: documentIds.length }),
  pollImapMailbox: async ({ cursor }) => ({ stop: true, cursor, recorded: 0, idled: false }),
  syncStaffCalendar: async () => ({ stop: true, busy: 0, pushed: 0, removed: 0, deleted: [], error: null }),
  cancelDeletedAppointment: async () => {},
  downloadInboundMedia: async ({ file }) => ({ status: 'stored', mediaAssetId: `asset-${file.index}`, contentType: file.contentType ?? 'application/octet-stream', byteSize: 1 }),
  markInboundMedia: async () => {},
});

export function createFakes() {
  const calls: RecordedCall[] = [];
  const impl: Acts = defaults();
  const activities = Object.fromEntries(
    (Object.keys(impl) as Name[]).map((name) => [
      name,
      async (input: any) => {
        const info = Context.current().info;
        calls.push({ name, input, workflowId: info.workflowExecution?.workflowId ?? '', activityId: info.activityId, attempt: info.attempt });
        return (impl[name] as (i: any) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as Acts;

  return {
    activities,
    impl,
    calls,
    /** Calls of one workflow, optionally of one activity. */
    of(workflowId: string, name?: Name): RecordedCall[] {
      return calls.filter((c) => c.workflowId === workflowId && (!name || c.name === name));
    },
    /** Restores the default behaviour of every activity. */
    reset() {
      Object.assign(impl, defaults());
    },
  };
}

export type Fakes = ReturnType<typeof createFakes>;
