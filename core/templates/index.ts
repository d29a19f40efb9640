/**
 * Starting points for new flows. Each graph passes `validateGraph` as it is (test/console-api
 * checks), with positions laid out top to bottom so the builder shows them tidily.
 */
import { edges, node } from '../graph/build';
import type { GraphInput } from '../graph/schema';

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  graph: GraphInput;
}

const receptionistFaq: FlowTemplate = {
  id: 'receptionist-faq',
  name: 'Receptionist FAQ',
  description: 'Answers questions from your knowledge base with AI (pick it on the AI reply node) and hands the visitor to a person on request.',
  graph: {
    nodes: [
      node('start', 'start', 0, 0),
      node('greet', 'sendMessage', 0, 120, { text: 'Hello! I can answer questions about us. What would you like to know?' }),
      node('question', 'ask', 0, 240, { prompt: 'Ask me anything, or type "human" to talk to a person.', variable: 'question' }),
      node('answer', 'llmReply', 0, 360, {
        systemPrompt: 'You are the receptionist. Answer only from the knowledge base passages; if they do not cover the question, say so and offer a colleague.',
        brandVoice: 'Friendly and brief.',
        knowledgeBaseIds: [],
        retrieval: 'auto',
        allowHandoff: true,
      }),
      node('more', 'ask', 0, 480, { prompt: 'Anything else I can help with?', variable: 'question' }),
      node('human', 'handoff', 260, 480, { message: 'Let me connect you with a colleague.', reason: 'asked for a person' }),
    ],
    edges: edges([
      ['start', 'greet'],
      ['greet', 'question'],
      ['question', 'answer'],
      ['answer', 'more'],
      ['answer', 'human', 'handoff'],
      ['more', 'answer'],
      ['human', 'more'],
    ]),
  },
};

const appointmentRequest: FlowTemplate = {
  id: 'appointment-request',
  name: 'Appointment request',
  description: 'Asks for a name, a date and a time (validated), confirms, then sends the request to your booking system over HTTP.',
  graph: {
    nodes: [
      node('start', 'start', 0, 0),
      node('name', 'ask', 0, 120, { prompt: 'Happy to book an appointment. What is your name?', variable: 'name' }),
      node('date', 'ask', 0, 240, { prompt: 'Which day suits you, {{name}}? (YYYY-MM-DD)', variable: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', retryPrompt: 'Please write the date as YYYY-MM-DD, e.g. 2027-03-14.' }),
      node('time', 'ask', 0, 360, { prompt: 'And what time? (HH:MM, 24-hour)', variable: 'time', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', retryPrompt: 'Please write the time as HH:MM, e.g. 14:30.' }),
      node('confirm', 'ask', 0, 480, { prompt: 'So that is {{date}} at {{time}} for {{name}}. Shall I send the request?', variable: 'confirmed', inputType: 'yesno' }),
      node('check', 'condition', 0, 600, { expression: 'confirmed == true' }),
      node('book', 'httpRequest', -200, 720, {
        method: 'POST',
        url: 'https://booking.example.com/requests',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "{{name}}", "date": "{{date}}", "time": "{{time}}"}',
        responseMapping: { requestId: 'body.id' },
      }),
      node('booked', 'end', -200, 840, { message: 'Thank you, {{name}}! Your request is in; we will confirm it shortly.' }),
      node('failed', 'handoff', 0, 840, { message: 'I could not reach our booking system; a colleague will book it for you.', reason: 'booking request failed' }),
      node('cancelled', 'end', 200, 720, { message: 'No problem, nothing was booked.' }),
    ],
    edges: edges([
      ['start', 'name'],
      ['name', 'date'],
      ['date', 'time'],
      ['time', 'confirm'],
      ['confirm', 'check'],
      ['check', 'book', 'true'],
      ['check', 'cancelled', 'false'],
      ['book', 'booked'],
      ['book', 'failed', 'error'],
    ]),
  },
};

const leadCapture: FlowTemplate = {
  id: 'lead-capture',
  name: 'Lead capture',
  description: 'Collects a name, an email address and what the visitor needs; sales-ready leads go to your CRM over HTTP, the rest get a friendly note.',
  graph: {
    nodes: [
      node('start', 'start', 0, 0),
      node('name', 'ask', 0, 120, { prompt: 'Thanks for your interest! What is your name?', variable: 'name' }),
      node('email', 'ask', 0, 240, { prompt: 'What email address can we reach you at, {{name}}?', variable: 'email', inputType: 'email', retryPrompt: 'That does not look like an email address. Could you check it?' }),
      node('need', 'ask', 0, 360, { prompt: 'What are you looking for?', variable: 'need', inputType: 'choice', choices: ['pricing', 'demo', 'support', 'other'] }),
      node('qualified', 'condition', 0, 480, { expression: 'need == "pricing" or need == "demo"' }),
      node('crm', 'httpRequest', -200, 600, { method: 'POST', url: 'https://crm.example.com/leads', headers: { 'content-type': 'application/json' }, body: '{"name": "{{name}}", "email": "{{email}}", "need": "{{need}}"}' }),
      node('thanks', 'end', -200, 720, { message: 'Thank you, {{name}}! Someone from our team will email you at {{email}} today.' }),
      node('other', 'end', 200, 600, { message: 'Thanks, {{name}}! Our help centre has answers for most questions; we will also follow up by email.' }),
    ],
    edges: edges([
      ['start', 'name'],
      ['name', 'email'],
      ['email', 'need'],
      ['need', 'qualified'],
      ['qualified', 'crm', 'true'],
      ['qualified', 'other', 'false'],
      ['crm', 'thanks'],
      ['crm', 'other', 'error'],
    ]),
  },
};

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [receptionistFaq, appointmentRequest, leadCapture];

export const flowTemplate = (id: string) => FLOW_TEMPLATES.find((t) => t.id === id);
