/** Fake model and knowledge answers for recordings: a tool round trip, a cited answer, the handoff tool. */
import type { KnowledgePassage, LlmChatInput, LlmChatResult, ToolCall } from '../../../activities/types';
import type { Fakes } from '../../workflows/support/fakes';

const usage = { promptTokens: 12, completionTokens: 6, costUsd: 0.0001, model: 'fake' };

export const modelAnswer = (content: string, provider: LlmChatResult['provider'] = 'openai-compatible'): LlmChatResult => ({ provider, content, toolCalls: [], usage });

export const toolCall = (id: string, name: string, args: Record<string, unknown>): ToolCall => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });

export const passage = (text: string, document: string, page?: number): KnowledgePassage => ({ text, score: 0.87, citation: { document, documentId: `doc-${document.length}`, ...(page ? { page } : {}) } });

const sawToolResults = (input: LlmChatInput) => input.messages.some((m) => m.role === 'tool');

/** The model calls `calls` first; once it has their results it answers `answer`. */
export function modelUsingTools(fakes: Fakes, calls: ToolCall[], answer: string): void {
  fakes.impl.llmChat = async (input) => (sawToolResults(input) ? modelAnswer(answer) : { ...modelAnswer(''), content: null, toolCalls: calls });
}

/** The model asks for a human through the built-in handoff tool. */
export function modelHandingOff(fakes: Fakes): void {
  fakes.impl.llmChat = async () => ({ ...modelAnswer(''), content: null, toolCalls: [toolCall('call_h', 'handoff_to_human', { reason: 'billing dispute' })] });
}

export function knowledgeFinds(fakes: Fakes, passages: KnowledgePassage[]): void {
  fakes.impl.searchKnowledge = async () => ({ passages });
}
