/** The demo tenant's "Front desk" flow: greets, learns the name, answers with AI or hands off. */
import { edges, node } from '../core/graph/build';
import { graphSchema, type GraphInput } from '../core/graph/schema';

export const FRONT_DESK_NAME = 'Front desk';

const frontDesk: GraphInput = {
  nodes: [
    node('start', 'start', 0, 0),
    node('greet', 'sendMessage', 0, 120, { text: 'Hi, welcome to Switchboard Co.! I am the virtual front desk.' }),
    node('askName', 'ask', 0, 240, { prompt: 'May I have your name?', variable: 'name', inputType: 'text' }),
    node('welcome', 'sendMessage', 0, 360, { text: 'Nice to meet you, {{name}}!' }),
    node('askNeed', 'ask', 0, 480, { prompt: 'What can I help you with today?', variable: 'need', inputType: 'text' }),
    node('route', 'condition', 0, 600, { expression: 'contains(need, "complaint") or contains(need, "refund") or contains(need, "speak to someone")' }),
    node('answer', 'llmReply', -220, 720, {
      systemPrompt:
        'You are the receptionist of Switchboard Co. Answer visitors\u2019 questions about opening hours (Mon\u2013Fri 9:00\u201317:00), ' +
        'appointments and directions. The visitor\u2019s name is {{name}}. If you do not know something, say so and offer to connect them with a colleague.',
      brandVoice: 'Warm, concise and professional. Two or three sentences at most. No emojis.',
      contextMessages: 12,
      allowHandoff: true,
    }),
    node('followUp', 'ask', -220, 840, { prompt: 'Is there anything else I can help you with?', variable: 'need', inputType: 'text' }),
    node('handoff', 'handoff', 220, 720, { message: 'I am sorry to hear that, {{name}}. Let me connect you with a member of our team.', reason: 'complaint or refund' }),
  ],
  edges: edges(
    [
      ['start', 'greet'],
      ['greet', 'askName'],
      ['askName', 'welcome'],
      ['welcome', 'askNeed'],
      ['askNeed', 'route'],
      ['route', 'handoff', 'true'],
      ['route', 'answer', 'false'],
      ['answer', 'followUp'],
      ['answer', 'handoff', 'handoff'],
      ['followUp', 'route'],
      ['handoff', 'followUp'],
    ],
    ['e-start', 'e-greet', 'e-name', 'e-welcome', 'e-need', 'e-route-human', 'e-route-ai', 'e-answer', 'e-answer-handoff', 'e-followup', 'e-released'],
  ),
  settings: { handoffKeywords: ['human', 'agent', 'operator'], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

/** With every default applied: what a builder would have saved. */
export const frontDeskGraph = graphSchema.parse(frontDesk);
