/**
 * The marketing assistant's tools in the AI reply (only in the console's assistant conversations,
 * `rt.assistant`): each call runs the `assistantTool` activity with the conversation's tenant, and
 * its source joins the answer's citations. Without a model, `assistantOffline` answers the
 * question from a tool matched by the offline rules.
 */
import { isCancellation } from '@temporalio/workflow';
import type { AssistantSource } from '../../../core/assistant/tools';
import type { ToolCall } from '../../../activities/types';
import { errorMessage } from '../errors';
import type { FlowRuntime } from '../types';

/** A failing tool is reported to the model, not to the flow; a result's source is kept for the answer. */
export async function runAssistantTool(nodeId: string, rt: FlowRuntime, call: ToolCall, sources: AssistantSource[]): Promise<string> {
  try {
    const { content, source } = await rt.activities.call(nodeId, 'assistantTool', { tenantId: rt.tenantId, name: call.function.name, arguments: call.function.arguments });
    if (source && !sources.some((s) => s.document === source.document && s.section === source.section)) sources.push(source);
    return content;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return `Error: the tool failed (${errorMessage(err)}).`;
  }
}

export function offlineAssistantAnswer(nodeId: string, rt: FlowRuntime, question: string): Promise<{ text: string; sources: AssistantSource[] }> {
  return rt.activities.call(nodeId, 'assistantOffline', { tenantId: rt.tenantId, question });
}
