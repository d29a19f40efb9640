/** A voice test bench: the real API (and, unless told otherwise, worker) on the shared Temporal server, database and Redis, a tenant and its voice channel. */
import { randomBytes } from 'node:crypto';
import type { GraphInput } from '../../../core/graph/schema';
import { connectChannel } from '../../channels/support';
import { sharedServers } from '../../support/shared-servers';
import { startStack, type Stack } from '../../support/stack';
import { Caller } from './caller';

export interface VoiceBench {
  stack: Stack;
  apiKey: string;
  tenantId: string;
  account: { sid: string; token: string };
  number: string;
  /** A voice channel on `flow` (published); its webhook URL is the call's. */
  channel(flow: GraphInput, settings?: Record<string, unknown>): Promise<{ id: string; webhookUrl: string }>;
  caller(channel: { webhookUrl: string }, from: string): Caller;
  rows<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * What the caller heard since the last look (the call's transcript lines spoken by the flow: audio
   * or <Say>, the words are on the line), once at least `count` new lines are stored — the
   * transcript is written just after each webhook is answered.
   */
  heard(caller: Caller, count: number): Promise<string[]>;
  close(): Promise<void>;
}

export const voiceAccount = () => ({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex') });

let phones = 0;
/** A fresh, valid US number per call (the exchange starts with 2: NANP refuses 0 and 1 there), so tests never share a contact by accident. */
export const newPhone = () => `+14152${String(Date.now()).slice(-4)}${String(++phones % 100).padStart(2, '0')}`;

const heardSoFar = new Map<string, number>();

export async function startVoiceBench(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<VoiceBench> {
  const stack = await startStack({ ...sharedServers(), worker: opts.worker ?? true, env: { CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', ...opts.env } });
  const { apiKey, tenantId } = await stack.createTenant();
  const account = voiceAccount();
  const number = '+14155550199';
  return {
    stack,
    apiKey,
    tenantId,
    account,
    number,
    channel: (flow, settings = {}) => connectChannel(stack, apiKey, 'voice', { credentials: { accountSid: account.sid, authToken: account.token }, settings: { numbers: [number], ...settings } }, flow),
    caller: (channel, from) => new Caller(channel, account, from, number),
    rows: (sql, params = []) => stack.orm.em.getConnection().execute(sql, params as unknown[]),
    async heard(caller, count) {
      const seen = heardSoFar.get(caller.sid) ?? 0;
      const read = () =>
        stack.orm.em
          .getConnection()
          .execute<{ text: string }[]>(
            `select m.text from messages m join calls c on c.conversation_id = m.conversation_id
              where c.call_sid = ? and m.author = 'bot' and m.idempotency_key like ? order by m.created_at, m.id`,
            [caller.sid, `call:${tenantId}:${caller.sid}:%`],
          );
      let lines = await read();
      for (const until = Date.now() + 10_000; lines.length < seen + count && Date.now() < until; lines = await read()) await new Promise((r) => setTimeout(r, 50));
      heardSoFar.set(caller.sid, lines.length);
      return lines.slice(seen).map((l) => l.text);
    },
    close: () => stack.close(),
  };
}

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const settings = { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} };

/** Greets (by name when known), offers a menu, and answers each option. */
export const receptionistFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'hello', type: 'say', data: { text: 'Hello{{#caller.name}} {{caller.name}}{{/caller.name}}, thanks for calling.' } },
    {
      id: 'menu',
      type: 'menu',
      data: {
        prompt: 'For bookings press 1 or say booking. For opening hours press 2.',
        options: [
          { key: '1', label: 'Bookings', keywords: ['booking', 'book a table'] },
          { key: '2', label: 'Hours', keywords: ['hours', 'opening'] },
        ],
        retries: 1,
        variable: 'choice',
      },
    },
    { id: 'party', type: 'gather', data: { prompt: 'How many people? Enter the number, then press hash.', variable: 'people', input: 'both', inputType: 'number', maxRetries: 1 } },
    { id: 'booked', type: 'say', data: { text: 'A table for {{people}}. See you soon!' } },
    { id: 'hours', type: 'say', data: { text: 'We are open from noon to midnight.' } },
    { id: 'lost', type: 'hangup', data: { message: 'Sorry, goodbye.' } },
    { id: 'bye', type: 'hangup', data: { message: 'Goodbye.' } },
  ],
  edges: [
    edge('start', 'hello'),
    edge('hello', 'menu'),
    edge('menu', 'party', 'key1'),
    edge('menu', 'hours', 'key2'),
    edge('menu', 'lost', 'noInput'),
    edge('menu', 'lost', 'noMatch'),
    edge('party', 'booked'),
    edge('booked', 'bye'),
    edge('hours', 'bye'),
  ],
  settings,
};
