/** LLM activities: chat (streamed, with fallback and accounting), summaries and tool calls. */
import type { ActivityDeps } from '../deps';
import { activityContext, attemptNumber, cancellationSignal, heartbeat } from '../context';
import { publishLive } from '../../events/live';
import { loadTenant } from '../tenant';
import type { ChatMessage, LlmChatResult, SwitchboardActivities } from '../types';
import { extractiveSummary, messageLine } from '../../core/summary';
import { OFFLINE_REPLY, OVER_QUOTA_REPLY } from '../../llm/offline';
import { tenantProviders } from '../../llm/providers';
import { runWithFallback } from '../../llm/run';
import { callTool } from './tool';
import { brandVoiceInstructions } from '../../core/campaigns/brand-voice';
import { loadBrandVoice } from '../../campaigns/content/store';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Quotas } from '../../quotas/quotas';
import type { QuotaRefusal } from '../../core/quotas';
import { queueEvent, subjectJobId } from '../events';

/** The voice's instructions appended to the system message; a voice deleted since the flow was published is left out. */
async function withBrandVoice(orm: MikroORM, tenantId: string, brandVoiceId: string, messages: ChatMessage[]): Promise<ChatMessage[]> {
  const voice = await loadBrandVoice(orm, tenantId, brandVoiceId);
  if (!voice) return messages;
  const [first, ...rest] = messages;
  const instructions = brandVoiceInstructions(voice);
  if (first?.role === 'system') return [{ ...first, content: `${first.content ?? ''}\n\n${instructions}` }, ...rest];
  return [{ role: 'system', content: instructions }, ...messages];
}

type Llm = Pick<SwitchboardActivities, 'llmChat' | 'summarize' | 'callTool'>;

const SUMMARY_PROMPT =
  'Fold the new messages into the running summary of this conversation. Keep names, facts, decisions, ' +
  'commitments and open questions; drop greetings and small talk. Answer with the updated summary only, at most 150 words.';

const offlineResult = (content: string): LlmChatResult => ({ provider: 'offline', content, toolCalls: [], usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });

export function llmActivities(deps: ActivityDeps): Llm {
  const { orm, redis, config } = deps;
  const quotas = new Quotas(redis, orm, config);

  /**
   * Over the month's LLM-token quota a call is not made: the caller takes its offline path (the
   * flow's offline reply or quoted passage, an extractive summary), with a log line and an
   * `llm.over_quota` event (stored, not a webhook type: `quota.exceeded` tells subscribers once).
   */
  async function overQuota(scope: { tenantId: string; workflowId: string; nodeId: string }, refusal: QuotaRefusal): Promise<void> {
    activityContext()?.log.warn('LLM token quota reached: answering offline', { tenantId: scope.tenantId, nodeId: scope.nodeId, used: refusal.used, limit: refusal.limit });
    const data = { nodeId: scope.nodeId, quota: refusal.quota, used: refusal.used, limit: refusal.limit };
    const info = activityContext()?.info;
    await queueEvent(deps.eventsQueue, { tenantId: scope.tenantId, type: 'llm.over_quota', workflowId: scope.workflowId, data }, subjectJobId(scope.tenantId, 'llm.over_quota', `${scope.workflowId}:${info?.activityId ?? scope.nodeId}`));
  }
  const countTokens = (tenantId: string, c: { promptTokens: number; completionTokens: number }) => quotas.countLlmTokens(tenantId, c.promptTokens + c.completionTokens);

  return {
    async llmChat(input) {
      const tenant = await loadTenant(orm, input.tenantId);
      const providers = tenantProviders(tenant, config, input.model);
      const attempt = attemptNumber();
      const live = (text: string) =>
        input.conversationId ? publishLive(redis, input.tenantId, input.conversationId, { type: 'delta', streamKey: input.streamKey, attempt, delta: text }) : undefined;

      // Offline, nothing streams: the workflow may replace this notice with a quoted knowledge
      // passage, and a streamed notice would flash in the chat before the passage replaced it.
      if (providers.length === 0) return offlineResult(OFFLINE_REPLY);
      const refusal = await quotas.llmRefusal(input.tenantId);
      if (refusal) {
        await overQuota(input, refusal);
        return offlineResult(OVER_QUOTA_REPLY);
      }

      const messages = input.brandVoiceId ? await withBrandVoice(orm, input.tenantId, input.brandVoiceId, input.messages) : input.messages;
      const { completion, costUsd, provider } = await runWithFallback(
        orm,
        input,
        providers,
        { messages, tools: input.tools, temperature: input.temperature, maxTokens: input.maxTokens },
        {
          signal: cancellationSignal(),
          onChunk: () => heartbeat(),
          onDelta: live,
          onReset: () =>
            input.conversationId ? publishLive(redis, input.tenantId, input.conversationId, { type: 'reset', streamKey: input.streamKey, attempt }) : undefined,
        },
      );
      await countTokens(input.tenantId, completion);
      // A debug line per answered call; with tracing on it carries the turn's trace id (telemetry/log.ts).
      activityContext()?.log.debug('model answered', { provider: new URL(provider.baseURL).host, model: completion.model, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens, costUsd });
      return {
        provider: 'openai-compatible',
        content: completion.content,
        toolCalls: completion.toolCalls,
        usage: { promptTokens: completion.promptTokens, completionTokens: completion.completionTokens, costUsd, model: completion.model },
      };
    },

    async summarize(input) {
      const tenant = await loadTenant(orm, input.tenantId);
      const providers = tenantProviders(tenant, config);
      if (providers.length === 0) return { summary: extractiveSummary(input.summary, input.messages) };
      const refusal = await quotas.llmRefusal(input.tenantId);
      if (refusal) {
        await overQuota({ ...input, nodeId: 'summarize' }, refusal);
        return { summary: extractiveSummary(input.summary, input.messages) };
      }
      const transcript = input.messages.filter((m) => m.content).map(messageLine).join('\n');
      const messages: ChatMessage[] = [
        { role: 'system', content: SUMMARY_PROMPT },
        { role: 'user', content: `Summary so far:\n${input.summary || '(none)'}\n\nNew messages:\n${transcript}` },
      ];
      const { completion } = await runWithFallback(orm, { tenantId: input.tenantId, workflowId: input.workflowId, nodeId: 'summarize' }, providers, { messages, maxTokens: 400 }, {
        signal: cancellationSignal(),
        onChunk: () => heartbeat(),
      });
      await countTokens(input.tenantId, completion);
      return { summary: completion.content?.trim() || extractiveSummary(input.summary, input.messages) };
    },

    callTool: (input) => callTool(deps, input),
  };
}
