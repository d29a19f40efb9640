/** The demo tenant's "Front desk" flow: greets, learns the name, answers with AI or hands off. */
import { graphSchema, type GraphInput } from '../core/graph/schema';

const at = (x: number, y: number) => ({ x, y });

export const FRONT_DESK_NAME = 'Front desk';

const frontDesk: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', position: at(0, 0), data: {} },
    { id: 'greet', type: 'sendMessage', position: at(0, 120), data: { text: 'Hi, welcome to Switchboard Co.! I am the virtual front desk.' } },
    { id: 'askName', type: 'ask', position: at(0, 240), data: { prompt: 'May I have your name?', variable: 'name', inputType: 'text' } },
    { id: 'welcome', type: 'sendMessage', position: at(0, 360), data: { text: 'Nice to meet you, {{name}}!' } },
    { id: 'askNeed', type: 'ask', position: at(0, 480), data: { prompt: 'What can I help you with today?', variable: 'need', inputType: 'text' } },
    {
      id: 'route',
      type: 'condition',
      position: at(0, 600),
      data: { expression: 'contains(need, "complaint") or contains(need, "refund") or contains(need, "speak to someone")' },
    },
    {
      id: 'answer',
      type: 'llmReply',
      position: at(-220, 720),
      data: {
        systemPrompt:
          'You are the receptionist of Switchboard Co. Answer visitors\u2019 questions about opening hours (Mon\u2013Fri 9:00\u201317:00), ' +
          'appointments and directions. The visitor\u2019s name is {{name}}. If you do not know something, say so and offer to connect them with a colleague.',
        brandVoice: 'Warm, concise and professional. Two or three sentences at most. No emojis.',
        contextMessages: 12,
        allowHandoff: true,
      },
    },
    { id: 'followUp', type: 'ask', position: at(-220, 840), data: { prompt: 'Is there anything else I can help you with?', variable: 'need', inputType: 'text' } },
    {
      id: 'handoff',
      type: 'handoff',
      position: at(220, 720),
      data: { message: 'I am sorry to hear that, {{name}}. Let me connect you with a member of our team.', reason: 'complaint or refund' },
    },
  ],
  edges: [
    { id: 'e-start', source: 'start', target: 'greet' },
    { id: 'e-greet', source: 'greet', target: 'askName' },
    { id: 'e-name', source: 'askName', target: 'welcome' },
    { id: 'e-welcome', source: 'welcome', target: 'askNeed' },
    { id: 'e-need', source: 'askNeed', target: 'route' },
    { id: 'e-route-human', source: 'route', sourceHandle: 'true', target: 'handoff' },
    { id: 'e-route-ai', source: 'route', sourceHandle: 'false', target: 'answer' },
    { id: 'e-answer', source: 'answer', target: 'followUp' },
    { id: 'e-answer-handoff', source: 'answer', sourceHandle: 'handoff', target: 'handoff' },
    { id: 'e-followup', source: 'followUp', target: 'route' },
    { id: 'e-released', source: 'handoff', target: 'followUp' },
  ],
  settings: { handoffKeywords: ['human', 'agent', 'operator'], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

/** With every default applied: what a builder would have saved. */
export const frontDeskGraph = graphSchema.parse(frontDesk);
