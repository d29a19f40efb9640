/**
 * AI reply: a tool loop over the `llmChat` activity (at most MAX_LLM_CALLS calls; the last one gets
 * no tools so it must answer in text), tools run through `callTool`. The built-in
 * `handoff_to_human` tool follows the `handoff` edge, or behaves like a Hand-off node when that
 * edge is not connected. The answer passes the output filter before the contact sees it.
 */
import { isCancellation } from '@temporalio/workflow';
import { applyOutputFilter } from '../../../core/output-filter';
import { renderTemplate } from '../../../core/template';
import type { TokenUsage } from '../../../core/messages';
import type { ChatMessage, LlmChatResult, ToolCall, ToolSpec } from '../../../activities/types';
import { errorMessage } from '../errors';
import type { FlowRuntime, NodeHandler, NodeOf } from '../types';
import { DEFAULT_HANDOFF_MESSAGE, handOff } from './handoff';

export const MAX_LLM_CALLS = 5;
export const HANDOFF_TOOL = 'handoff_to_human';
const FALLBACK_TEXT = 'Sorry, I could not find an answer to that.';

const handoffTool: ToolSpec = {
  name: HANDOFF_TOOL,
  description: 'Hand the conversation to a human agent when the user asks for one or you cannot help.',
  parameters: { type: 'object', properties: { reason: { type: 'string', description: 'Why a human is needed' } } },
};

export const llmReply: NodeHandler<'llmReply'> = {
  async run(node, rt) {
    const { data } = node;
    const messages = buildMessages(node, rt);
    const tools: ToolSpec[] = data.tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
    if (data.allowHandoff) tools.push(handoffTool);
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
    let result: LlmChatResult | undefined;

    for (let call = 1; call <= MAX_LLM_CALLS; call++) {
      result = await rt.activities.call(node.id, 'llmChat', {
        tenantId: rt.tenantId,
        workflowId: rt.workflowId,
        conversationId: rt.conversationId,
        nodeId: node.id,
        streamKey: rt.key(node.id),
        messages,
        tools: call < MAX_LLM_CALLS ? tools : [],
        model: data.model,
        temperature: data.temperature,
        maxTokens: data.maxTokens,
      });
      addUsage(usage, result.usage);
      if (!result.toolCalls.length) break;
      const handoffCall = result.toolCalls.find((c) => c.function.name === HANDOFF_TOOL);
      if (handoffCall) {
        const reason = parseArgs(handoffCall).reason;
        if (rt.graph.target(node.id, 'handoff')) return { kind: 'follow', handle: 'handoff', output: { reason } };
        return handOff(rt, node.id, DEFAULT_HANDOFF_MESSAGE, typeof reason === 'string' ? reason : 'requested by the AI reply');
      }
      messages.push({ role: 'assistant', content: result.content, tool_calls: result.toolCalls });
      for (const toolCall of result.toolCalls) {
        messages.push({ role: 'tool', tool_call_id: toolCall.id, content: await runTool(node, rt, toolCall) });
      }
    }

    const raw = result?.content?.trim() || FALLBACK_TEXT;
    const text = applyOutputFilter(raw, data.outputFilter);
    const source = result?.provider === 'offline' ? 'offline-responder' : 'llm';
    await rt.say(node.id, text, source, usage);
    if (data.saveAs) rt.variables[data.saveAs] = text;
    return { kind: 'follow', handle: 'next', output: { provider: result?.provider, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } };
  },
};

function buildMessages(node: NodeOf<'llmReply'>, rt: FlowRuntime): ChatMessage[] {
  const { summary, messages } = rt.context(node.data.contextMessages);
  const system = [
    renderTemplate(node.data.systemPrompt, rt.variables),
    node.data.brandVoice && `Brand voice: ${node.data.brandVoice}`,
    summary && `Summary of the earlier conversation:\n${summary}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return [{ role: 'system', content: system }, ...messages];
}

/** A failing tool is reported to the model (it can apologise or try another way), not to the flow. */
async function runTool(node: NodeOf<'llmReply'>, rt: FlowRuntime, call: ToolCall): Promise<string> {
  const tool = node.data.tools.find((t) => t.name === call.function.name);
  if (!tool) return `Error: there is no tool named "${call.function.name}".`;
  try {
    const { content } = await rt.activities.call(node.id, 'callTool', {
      tenantId: rt.tenantId,
      nodeId: node.id,
      url: tool.url,
      method: tool.method,
      arguments: call.function.arguments,
    });
    return content;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return `Error: the tool failed (${errorMessage(err)}).`;
  }
}

function parseArgs(call: ToolCall): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(call.function.arguments || '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function addUsage(total: TokenUsage, add: TokenUsage): void {
  total.promptTokens += add.promptTokens;
  total.completionTokens += add.completionTokens;
  total.costUsd += add.costUsd;
  if (add.model) total.model = add.model;
}
