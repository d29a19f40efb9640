/**
 * AI reply: a tool loop over the `llmChat` activity (at most MAX_LLM_CALLS calls; the last one gets
 * no tools so it must answer in text), tools run through `callTool`. The built-in
 * `handoff_to_human` tool follows the `handoff` edge, or behaves like a Hand-off node when that
 * edge is not connected. The answer passes the output filter before the contact sees it.
 *
 * With knowledge bases attached, passages are searched before the call (`auto`) or by the model
 * through `search_knowledge_base` (`tool`, one of the loop's calls); the answer's [n] markers
 * become the message's citations. Without a model, the best passage is quoted instead.
 *
 * In the console's marketing assistant (`rt.assistant`) the model also gets the marketing tools
 * (core/assistant/tools.ts); the figures each call returned are cited. Without a model, the
 * question is answered by the tool the offline rules match it to.
 */
import { SPOKEN_MAX_TOKENS, SPOKEN_REPLY_PROMPT, spokenAnswer } from '../../../core/voice/spoken';
import { isCancellation } from '@temporalio/workflow';
import { applyOutputFilter } from '../../../core/output-filter';
import { renderTemplate } from '../../../core/template';
import type { TokenUsage } from '../../../core/messages';
import { offlinePassageReply } from '../../../core/replies';
import type { ChatMessage, LlmChatResult, ToolCall, ToolSpec } from '../../../activities/types';
import { errorMessage } from '../errors';
import type { FlowRuntime, NodeHandler, NodeOf } from '../types';
import { APPOINTMENT_TOOL_NAMES, APPOINTMENT_TOOLS } from '../../../core/appointment-tools';
import { runAppointmentTool } from './appointment-run';
import { ASSISTANT_TOOL_NAMES, ASSISTANT_TOOLS, type AssistantSource } from '../../../core/assistant/tools';
import { offlineAssistantAnswer, runAssistantTool } from './assistant-run';
import { DEFAULT_HANDOFF_MESSAGE } from '../../../core/nodes/handoff';
import { handOff } from './handoff';
import { citationLabel, KNOWLEDGE_TOOL, knowledgeTool, latestContactMessage, runKnowledgeTool, searchKnowledge, Sources, sourcesPrompt, toolModePrompt, withSourcesLine } from './knowledge';

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
    const sources = new Sources();
    const knowledge = data.knowledgeBaseIds.length > 0;
    const auto = knowledge && data.retrieval === 'auto';
    let knowledgePrompt = knowledge ? toolModePrompt : '';
    if (auto) knowledgePrompt = sourcesPrompt(sources.add((await searchKnowledge(node, rt, latestContactMessage(rt))).passages));
    const messages = buildMessages(node, rt, knowledgePrompt);
    const tools: ToolSpec[] = data.tools
      .filter((t) => (!knowledge || t.name !== KNOWLEDGE_TOOL) && !(data.appointmentTools && APPOINTMENT_TOOL_NAMES.has(t.name)) && !(rt.assistant && ASSISTANT_TOOL_NAMES.has(t.name)))
      .map(({ name, description, parameters }) => ({ name, description, parameters }));
    if (data.appointmentTools) tools.push(...APPOINTMENT_TOOLS);
    if (rt.assistant) tools.push(...ASSISTANT_TOOLS);
    if (knowledge && !auto) tools.push(knowledgeTool);
    if (data.allowHandoff) tools.push(handoffTool);
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
    /** The sources of the marketing tools' results, cited with the answer. */
    const figures: AssistantSource[] = [];
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
        ...(data.brandVoiceId ? { brandVoiceId: data.brandVoiceId } : {}),
        temperature: data.temperature,
        maxTokens: rt.call ? Math.min(data.maxTokens ?? SPOKEN_MAX_TOKENS, SPOKEN_MAX_TOKENS) : data.maxTokens,
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
        const content =
          knowledge && toolCall.function.name === KNOWLEDGE_TOOL
            ? await runKnowledgeTool(node, rt, sources, parseArgs(toolCall).query)
            : data.appointmentTools && APPOINTMENT_TOOL_NAMES.has(toolCall.function.name)
              ? await runAppointmentTool(node.id, rt, toolCall)
              : rt.assistant && ASSISTANT_TOOL_NAMES.has(toolCall.function.name)
                ? await runAssistantTool(node.id, rt, toolCall, figures)
                : await runTool(node, rt, toolCall);
        messages.push({ role: 'tool', tool_call_id: toolCall.id, content });
      }
    }

    const offline = result?.provider === 'offline';
    if (offline && rt.assistant) {
      const { text, sources: cited } = await offlineAssistantAnswer(node.id, rt, latestContactMessage(rt));
      await rt.say(node.id, text, 'offline-responder', usage, cited.length ? cited : undefined);
      if (data.saveAs) rt.variables[data.saveAs] = text;
      return { kind: 'follow', handle: 'next', output: { provider: result?.provider, promptTokens: 0, completionTokens: 0, citations: cited.length } };
    }
    // Tool mode never searched without a model (it made no tool call): search the way auto mode does.
    if (offline && knowledge && !auto) sources.add((await searchKnowledge(node, rt, latestContactMessage(rt))).passages);
    const quote = offline ? sources.passages[0] : undefined;
    // On a call the passage is read without its source label, and every answer is cut for the ear (core/voice/spoken.ts).
    const raw = quote ? (rt.call ? spokenAnswer(quote.text) : offlinePassageReply(citationLabel(quote.citation), quote.text)) : result?.content?.trim() || FALLBACK_TEXT;
    const answer = applyOutputFilter(raw, data.outputFilter);
    const citations = quote ? [quote.citation] : sources.citationsFor(raw);
    // A quoted passage already names its source; a model's answer gets the "Sources:" line.
    const text = rt.call ? spokenAnswer(answer) : quote ? answer : withSourcesLine(answer, citations, rt.channel);
    // The assistant's figures are cited beside the answer (the console shows them), not in its text.
    citations.push(...figures);
    await rt.say(node.id, text, offline ? 'offline-responder' : 'llm', usage, citations.length ? citations : undefined);
    if (data.saveAs) rt.variables[data.saveAs] = answer;
    return {
      kind: 'follow',
      handle: 'next',
      output: { provider: result?.provider, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, citations: citations.length },
    };
  },
};

function buildMessages(node: NodeOf<'llmReply'>, rt: FlowRuntime, knowledgePrompt: string): ChatMessage[] {
  const { summary, messages } = rt.context(node.data.contextMessages);
  const system = [
    renderTemplate(node.data.systemPrompt, rt.variables),
    node.data.brandVoice && `Brand voice: ${node.data.brandVoice}`,
    rt.call && SPOKEN_REPLY_PROMPT,
    knowledgePrompt,
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
