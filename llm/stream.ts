/**
 * One streamed chat completion against one provider: text deltas handed to `onDelta`, tool calls
 * assembled from their streamed pieces (OpenAI sends `index` + partial `arguments`), usage from
 * the final chunk (`stream_options.include_usage`).
 */
import type OpenAI from 'openai';
import type { ChatMessage, ToolCall, ToolSpec } from '../core/chat';
import { clientSpan } from '../telemetry/spans';
import { openaiClient } from './openai-client';
import type { ResolvedProvider } from './providers';

export interface CompletionRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxTokens?: number;
}

export interface Completion {
  content: string | null;
  toolCalls: ToolCall[];
  promptTokens: number;
  completionTokens: number;
  model: string;
}

export interface StreamHooks {
  signal?: AbortSignal;
  onDelta?: (delta: string) => void | Promise<void>;
  /** Called for every chunk: keeps the activity's heartbeat going while tokens arrive. */
  onChunk?: () => void;
}

/**
 * Traced as one client span over the whole stream (its HTTP span, the response headers only, is a
 * child): provider host, model, token counts; never the messages.
 */
export function streamCompletion(provider: ResolvedProvider, req: CompletionRequest, hooks: StreamHooks = {}): Promise<Completion> {
  const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': provider.model, 'server.address': new URL(provider.baseURL).hostname };
  return clientSpan(`chat ${provider.model}`, attributes, async (span) => {
    const completion = await streamFrom(provider, req, hooks);
    span.setAttributes({ 'gen_ai.response.model': completion.model, 'gen_ai.usage.input_tokens': completion.promptTokens, 'gen_ai.usage.output_tokens': completion.completionTokens });
    return completion;
  });
}

async function streamFrom(provider: ResolvedProvider, req: CompletionRequest, hooks: StreamHooks): Promise<Completion> {
  // Temporal owns retries; a provider that hangs is cut off by the activity's timeouts.
  const client = openaiClient(provider);
  const stream = await client.chat.completions.create(
    {
      model: provider.model,
      messages: req.messages as OpenAI.Chat.ChatCompletionMessageParam[],
      ...(req.tools?.length
        ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: hooks.signal },
  );

  let content = '';
  const calls: ToolCall[] = [];
  let usage = { promptTokens: 0, completionTokens: 0 };
  let model = provider.model;
  for await (const chunk of stream) {
    hooks.onChunk?.();
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      content += delta.content;
      await hooks.onDelta?.(delta.content);
    }
    for (const piece of delta.tool_calls ?? []) {
      const call = (calls[piece.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.function.name += piece.function.name;
      if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
    }
  }
  return { content: content || null, toolCalls: calls.filter(Boolean), ...usage, model };
}
