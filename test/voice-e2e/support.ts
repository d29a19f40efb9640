/**
 * Phone calls end to end: the real API (on a known loopback port, its PUBLIC_URL, so the callback
 * URLs in its TwiML and the URLs Twilio signs are the ones the fake calls) and a worker, the fake
 * Twilio Voice (test/fakes/twilio-voice) calling the voice channel's webhook, and the flows the
 * tests and bench/voice.ts publish.
 */
import { randomBytes } from 'node:crypto';
import type { GraphInput } from '../../core/graph/schema';
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../fakes/twilio-voice';
import { freePort } from '../support/ports';
import { startStack, type Stack, type StackOptions } from '../support/stack';

export const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
export const AUTH_TOKEN = randomBytes(16).toString('hex');
/** The channel's Twilio number (callers dial it; outbound calls come from it). */
export const NUMBER = '+15005550006';

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const settings = { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} };

export const GREETING = 'Thanks for calling Harbor Bistro.';
export const MENU_PROMPT = 'Press 1 for opening hours, or 2 to book a table.';
export const HOURS = 'We are open every day from noon to eleven.';
export const BOOKING_QUESTION = 'What would you like to book?';

/**
 * The restaurant's phone menu: a greeting (by name for a known caller), a menu by key or keyword,
 * the hours, or a booking request taken by speech and confirmed. `answer` replaces the
 * confirmation with a model's spoken answer (the benchmark's zero-latency model).
 */
export function menuFlow(opts: { answer?: 'template' | 'model' } = {}): GraphInput {
  const confirm =
    opts.answer === 'model'
      ? { id: 'confirm', type: 'llmReply', data: { systemPrompt: 'You take table bookings for Harbor Bistro. Answer in one short sentence.', contextMessages: 6, tools: [], allowHandoff: false } }
      : { id: 'confirm', type: 'say', data: { text: 'You asked: {{request}}. We will call you back to confirm.' } };
  return {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'greet', type: 'say', data: { text: `{{#caller.known}}Hello {{caller.name}}. {{/caller.known}}${GREETING}` } },
      {
        id: 'menu',
        type: 'menu',
        data: {
          prompt: MENU_PROMPT,
          options: [
            { key: '1', keywords: ['hours', 'open'], label: 'Hours' },
            { key: '2', keywords: ['book', 'table'], label: 'Booking' },
          ],
          retries: 2,
        },
      },
      { id: 'hours', type: 'say', data: { text: HOURS } },
      { id: 'askBooking', type: 'ask', data: { prompt: BOOKING_QUESTION, variable: 'request', inputType: 'text', maxRetries: 1 } },
      confirm,
      { id: 'bye', type: 'hangup', data: {} },
    ],
    edges: [
      edge('start', 'greet'),
      edge('greet', 'menu'),
      edge('menu', 'hours', 'key1'),
      edge('menu', 'askBooking', 'key2'),
      edge('hours', 'bye'),
      edge('askBooking', 'confirm'),
      edge('confirm', 'bye'),
    ],
    settings,
  };
}

/** The transcript of a call that booked through the menu (keys, then words), as the conversation stores it. */
export const bookingTranscript = (request: string) => [
  `bot: ${GREETING}`,
  `bot: ${MENU_PROMPT}`,
  'contact: 2',
  `bot: ${BOOKING_QUESTION}`,
  `contact: ${request}`,
  `bot: You asked: ${request}. We will call you back to confirm.`,
];

export interface VoiceBench {
  stack: Stack;
  twilio: FakeTwilioVoice;
  apiKey: string;
  tenantId: string;
  /** Publishes `flow` and connects a voice channel on the fake Twilio to it. */
  channel(flow: GraphInput): Promise<{ id: string; webhookUrl: string; flowId: string }>;
  close(): Promise<void>;
}

export async function startVoiceBench(servers: Omit<StackOptions, 'env'>, opts: { env?: Record<string, string>; llm?: { baseURL: string }; playback?: number } = {}): Promise<VoiceBench> {
  const twilio = await startFakeTwilioVoice({ accounts: { [ACCOUNT_SID]: AUTH_TOKEN }, playback: opts.playback });
  const port = await freePort();
  const stack = await startStack({
    ...servers,
    env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', ...opts.env },
  });
  const { apiKey, tenantId } = await stack.createTenant(opts.llm ? { llm: opts.llm } : {});
  return {
    stack,
    twilio,
    apiKey,
    tenantId,
    async channel(flow) {
      const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Phone menu', graph: flow } });
      if (created.status !== 201) throw new Error(`flow not created: ${JSON.stringify(created.body)}`);
      const published = await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey, body: {} });
      if (published.status !== 201) throw new Error(`flow not published: ${JSON.stringify(published.body)}`);
      const channel = await stack.request('POST', '/v1/channels', {
        apiKey,
        body: { type: 'voice', name: 'Front desk line', flowId: created.body.id, credentials: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, settings: { numbers: [NUMBER], apiBaseUrl: twilio.url } },
      });
      if (channel.status !== 201) throw new Error(`voice channel not created: ${JSON.stringify(channel.body)}`);
      return { id: channel.body.id, webhookUrl: channel.body.webhookUrl ?? `${stack.url}/v1/webhooks/voice/${channel.body.id}`, flowId: created.body.id };
    },
    async close() {
      await twilio.close();
      await stack.close();
    },
  };
}

/** A caller's number no other test is likely to use (a valid San Francisco number: exchange 200–999). */
export const newCaller = () => `+1415${200 + Math.floor(Math.random() * 800)}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
