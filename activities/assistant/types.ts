import type { AssistantSource, AssistantToolResult } from '../../core/assistant/tools';

/** The marketing assistant's work for the llmReply node (`marketingTools`); the tenant is the conversation's. */
export interface AssistantActivities {
  /** Runs one of the assistant's tools the model called; failures come back as `error: …` content. */
  assistantTool(input: { tenantId: string; name: string; arguments: string }): Promise<AssistantToolResult>;
  /** Without a model: the owner's question matched to a tool by the offline rules, answered with its figures. */
  assistantOffline(input: { tenantId: string; question: string }): Promise<{ text: string; sources: AssistantSource[] }>;
}
