import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { OFFLINE_REPLY } from '../../llm/offline';
import type { ChatMessage, KnowledgePassage, LlmChatResult, ToolCall } from '../../activities/types';
import { MAX_LLM_CALLS } from '../../workflows/flow/handlers/llmReply';
import { KNOWLEDGE_TOOL } from '../../workflows/flow/handlers/knowledge';
import { talk } from '../workflows/support/conversation';
import { conversationInput, flow } from '../workflows/support/flows';
import { startHarness, type Harness } from '../workflows/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'knowledge-flow');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

const DESSERTS: KnowledgePassage = {
  text: 'Tiramisu costs 7 euros; the cheese board costs 11 euros.',
  score: 0.03,
  citation: { document: 'Menu', documentId: 'doc-menu', section: 'Desserts', page: 2 },
};
const HOURS: KnowledgePassage = { text: 'The kitchen closes at 22:00.', score: 0.02, citation: { document: 'Opening hours', documentId: 'doc-hours' } };

const replyFlow = (data: Record<string, unknown>) =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'ai', type: 'llmReply', data: { knowledgeBaseIds: ['kb-1', 'kb-2'], allowHandoff: false, ...data } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'ai'], ['ai', 'end']],
  );

const answer = (content: string | null, toolCalls: ToolCall[] = []): LlmChatResult => ({
  provider: 'openai-compatible',
  content,
  toolCalls,
  usage: { promptTokens: 10, completionTokens: 5, costUsd: 0.001, model: 'fake' },
});
const searchCall = (query: string, id = 'call-1'): ToolCall => ({ id, type: 'function', function: { name: KNOWLEDGE_TOOL, arguments: JSON.stringify({ query }) } });
const offline = async (): Promise<LlmChatResult> => ({ provider: 'offline', content: OFFLINE_REPLY, toolCalls: [], usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });

const delivered = (workflowId: string) => h.fakes.of(workflowId, 'deliverMessage').map((c) => c.input.message);
const chatInputs = (workflowId: string) => h.fakes.of(workflowId, 'llmChat').map((c) => c.input as { messages: ChatMessage[]; tools: { name: string }[] });

describe('llmReply with knowledge bases, auto retrieval', () => {
  it('searches with the contact’s message, lists numbered sources in the system prompt and cites what the answer cites', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [HOURS, DESSERTS] });
    h.fakes.impl.llmChat = async () => answer('Tiramisu is 7 euros [2].');
    const c = talk(h, conversationInput(replyFlow({ topK: 3 })));

    expect(await c.say('How much is the tiramisu?')).toEqual(['Tiramisu is 7 euros [2].\n\nSources: Menu (Desserts, p. 2)']);

    const [search] = h.fakes.of(c.workflowId, 'searchKnowledge');
    expect(search.input).toEqual({ tenantId: 't1', knowledgeBaseIds: ['kb-1', 'kb-2'], query: 'How much is the tiramisu?', topK: 3 });
    expect(search.activityId).toMatch(/^ai#\d+$/);
    const [chat] = chatInputs(c.workflowId);
    const system = chat.messages[0].content as string;
    expect(system).toContain('[1] The kitchen closes at 22:00. (Opening hours)');
    expect(system).toContain('[2] Tiramisu costs 7 euros; the cheese board costs 11 euros. (Menu, Desserts, p. 2)');
    expect(system).toMatch(/cite the sources/i);
    expect(chat.tools.map((t) => t.name)).not.toContain(KNOWLEDGE_TOOL);
    expect(delivered(c.workflowId)[0]).toMatchObject({ source: 'llm', citations: [DESSERTS.citation] });
  });

  it('cites the top passage when the answer cites none, and nothing when nothing was found', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [DESSERTS, HOURS] });
    h.fakes.impl.llmChat = async () => answer('About 7 euros.');
    const cited = talk(h, conversationInput(replyFlow({})));
    expect(await cited.say('tiramisu price?')).toEqual(['About 7 euros.\n\nSources: Menu (Desserts, p. 2)']);
    expect(delivered(cited.workflowId)[0].citations).toEqual([DESSERTS.citation]);

    h.fakes.impl.searchKnowledge = async () => ({ passages: [] });
    h.fakes.impl.llmChat = async () => answer('I do not know.');
    const empty = talk(h, conversationInput(replyFlow({})));
    expect(await empty.say('Do you have parking?')).toEqual(['I do not know.']);
    expect(chatInputs(empty.workflowId)[0].messages[0].content).toMatch(/No passage of the knowledge base matches/);
    expect(delivered(empty.workflowId)[0].citations).toBeUndefined();
  });

  it.each(['whatsapp', 'messenger', 'sms', 'email'] as const)('adds the sources line on %s, whose messages are plain text', async (channel) => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [DESSERTS] });
    h.fakes.impl.llmChat = async () => answer('Tiramisu is 7 euros [1].');
    const c = talk(h, { ...conversationInput(replyFlow({})), channel });
    await c.say('How much is the tiramisu?');
    expect(delivered(c.workflowId)[0]).toMatchObject({ text: 'Tiramisu is 7 euros [1].\n\nSources: Menu (Desserts, p. 2)', citations: [DESSERTS.citation] });
  });

  it('does not read the sources line aloud on voice', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [DESSERTS] });
    h.fakes.impl.llmChat = async () => answer('Tiramisu is 7 euros [1].');
    const c = talk(h, { ...conversationInput(replyFlow({})), channel: 'voice' });
    await c.say('How much is the tiramisu?');
    expect(delivered(c.workflowId)[0]).toMatchObject({ text: 'Tiramisu is 7 euros [1].', citations: [DESSERTS.citation] });
  });

  it('answers without sources when the search fails instead of failing the turn', async () => {
    h.fakes.impl.searchKnowledge = async () => {
      throw ApplicationFailure.nonRetryable('bad settings', 'ConfigError');
    };
    const c = talk(h, conversationInput(replyFlow({})));
    expect(await c.say('hello')).toEqual(['LLM answer']);
  });
});

describe('llmReply with knowledge bases, tool retrieval', () => {
  it('offers search_knowledge_base and returns numbered passages as the tool result', async () => {
    h.fakes.impl.searchKnowledge = async ({ query }) => ({ passages: query.includes('dessert') ? [DESSERTS] : [HOURS] });
    let calls = 0;
    h.fakes.impl.llmChat = async () => {
      calls++;
      if (calls === 1) return answer(null, [searchCall('dessert prices')]);
      if (calls === 2) return answer(null, [searchCall('closing time', 'call-2')]);
      return answer('Tiramisu is 7 euros [1] and the kitchen closes at 22:00 [2].');
    };
    const c = talk(h, conversationInput(replyFlow({ retrieval: 'tool' })));
    const [text] = await c.say('Can I still get dessert?');
    expect(text).toBe('Tiramisu is 7 euros [1] and the kitchen closes at 22:00 [2].\n\nSources: Menu (Desserts, p. 2); Opening hours');

    expect(h.fakes.of(c.workflowId, 'searchKnowledge').map((x) => x.input.query)).toEqual(['dessert prices', 'closing time']);
    const chats = chatInputs(c.workflowId);
    expect(chats[0].tools.map((t) => t.name)).toEqual([KNOWLEDGE_TOOL]);
    expect(chats[0].messages[0].content).toContain(KNOWLEDGE_TOOL);
    const toolResults = chats[2].messages.filter((m) => m.role === 'tool').map((m) => m.content);
    // Numbering runs across searches, so [2] names the second search's passage.
    expect(toolResults).toEqual([
      '[1] Tiramisu costs 7 euros; the cheese board costs 11 euros. (Menu, Desserts, p. 2)',
      '[2] The kitchen closes at 22:00. (Opening hours)',
    ]);
    expect(delivered(c.workflowId)[0].citations).toEqual([DESSERTS.citation, HOURS.citation]);
  });

  it('counts searches toward the loop limit: the last call gets no tools', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [DESSERTS] });
    h.fakes.impl.llmChat = async (input) => (input.tools.length ? answer(null, [searchCall('again')]) : answer('Fine [1].'));
    const c = talk(h, conversationInput(replyFlow({ retrieval: 'tool' })));
    expect(await c.say('desserts?')).toEqual(['Fine [1].\n\nSources: Menu (Desserts, p. 2)']);
    expect(chatInputs(c.workflowId)).toHaveLength(MAX_LLM_CALLS);
    expect(h.fakes.of(c.workflowId, 'searchKnowledge')).toHaveLength(MAX_LLM_CALLS - 1);
  });
});

describe('llmReply with knowledge bases, offline', () => {
  it('quotes the best passage with its source, never as a model answer', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [DESSERTS, HOURS] });
    h.fakes.impl.llmChat = offline;
    const c = talk(h, conversationInput(replyFlow({})));
    expect(await c.say('How much is the tiramisu?')).toEqual(['From Menu (Desserts, p. 2): “Tiramisu costs 7 euros; the cheese board costs 11 euros.”']);
    expect(delivered(c.workflowId)[0]).toMatchObject({ source: 'offline-responder', citations: [DESSERTS.citation] });
  });

  it('searches in tool mode too, and falls back to the offline reply when nothing is found', async () => {
    h.fakes.impl.searchKnowledge = async () => ({ passages: [HOURS] });
    h.fakes.impl.llmChat = offline;
    const tool = talk(h, conversationInput(replyFlow({ retrieval: 'tool' })));
    expect(await tool.say('When do you close?')).toEqual(['From Opening hours: “The kitchen closes at 22:00.”']);
    expect(h.fakes.of(tool.workflowId, 'searchKnowledge')[0].input.query).toBe('When do you close?');

    h.fakes.impl.searchKnowledge = async () => ({ passages: [] });
    const none = talk(h, conversationInput(replyFlow({})));
    expect(await none.say('Anything?')).toEqual([OFFLINE_REPLY]);
    expect(delivered(none.workflowId)[0]).toMatchObject({ source: 'offline-responder' });
    expect(delivered(none.workflowId)[0].citations).toBeUndefined();
  });

  it('leaves a reply without knowledge bases untouched', async () => {
    const c = talk(h, conversationInput(replyFlow({ knowledgeBaseIds: [] })));
    expect(await c.say('hi')).toEqual(['LLM answer']);
    expect(h.fakes.of(c.workflowId, 'searchKnowledge')).toEqual([]);
  });
});
