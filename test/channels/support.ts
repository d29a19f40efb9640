/**
 * A channel test bench: its own scratch database (so no other file's sweeper touches its rows),
 * the real API and worker on the shared Temporal server and Redis, inbound processing as the
 * worker process runs it, and the fake Graph API.
 */
import pg from 'pg';
import type { GraphInput } from '../../core/graph/schema';
import { startInboundProcessing, type InboundProcessing } from '../../ingress/queue';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/graph-api-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL, type ScratchDatabase } from '../support/database';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { startStack, type Stack } from '../support/stack';

export interface ChannelBench {
  stack: Stack;
  graph: FakeGraphApi;
  inbound: InboundProcessing;
  db: pg.Client;
  apiKey: string;
  tenantId: string;
  /** Publishes `graph` as a flow and connects a channel to it; returns the channel as the API shows it. */
  channel(type: 'whatsapp' | 'messenger' | 'sms' | 'email', body: { credentials: Record<string, unknown>; settings: Record<string, unknown> }, flow?: GraphInput): Promise<{ id: string; webhookUrl: string }>;
  /** Rows of a query on the bench's database. */
  rows<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

/** Asks a name, then greets by it: one reply per turn, and the second turn proves state is kept. */
export const greeterFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'askName', type: 'ask', data: { prompt: 'Hello! What is your name?', variable: 'name', inputType: 'text', maxRetries: 1 } },
    { id: 'greet', type: 'sendMessage', data: { text: 'Nice to meet you, {{name}}!' } },
    { id: 'bye', type: 'end', data: {} },
  ],
  edges: [edge('start', 'askName'), edge('askName', 'greet'), edge('greet', 'bye')],
  settings: { handoffKeywords: ['human'], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

/** Publishes `flow` and connects a channel of `type` to it; returns the channel as the API shows it. */
export async function connectChannel(stack: Stack, apiKey: string, type: string, body: { credentials: Record<string, unknown>; settings: Record<string, unknown> }, flow: GraphInput = greeterFlow) {
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: `${type} flow`, graph: flow } });
  await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey, body: {} });
  const channel = await stack.request('POST', '/v1/channels', { apiKey, body: { type, name: `${type} channel`, flowId: created.body.id, ...body } });
  if (channel.status !== 201) throw new Error(`channel not created: ${JSON.stringify(channel.body)}`);
  return channel.body as { id: string; webhookUrl: string };
}

/** Answers every message by its kind: the flow reads `message`, the variable each contact message sets. */
export const kindFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'isLocation', type: 'condition', data: { expression: 'message.kind == "location"' } },
    { id: 'where', type: 'sendMessage', data: { text: 'Location at {{message.location.latitude}}' } },
    { id: 'what', type: 'sendMessage', data: { text: 'Got {{message.kind}}{{#message.subject}} ({{message.subject}}){{/message.subject}}' } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [edge('start', 'isLocation'), edge('isLocation', 'where', 'true'), edge('isLocation', 'what', 'false'), edge('where', 'end'), edge('what', 'end')],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

/** `env`: configuration for the stack beyond the fakes' URLs (limits a test wants small). */
export async function startChannelBench(env: Record<string, string> = {}, own: { redisUrl?: string } = {}): Promise<ChannelBench> {
  const servers = { ...sharedServers(), ...own };
  const scratch: ScratchDatabase = await createScratchDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_channels');
  const graph = await startFakeGraphApi();
  const stack = await startStack({ ...servers, databaseUrl: scratch.url, env: { META_GRAPH_URL: graph.url, CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', MESSENGER_MEDIA_HOSTS: '127.0.0.1', ...env } });
  const inbound = startInboundProcessing({ orm: stack.orm, config: stack.config, temporal: stack.temporal, sweepEveryMs: 500, staleMs: 3_000 });
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  const { apiKey, tenantId } = await stack.createTenant();

  return {
    stack,
    graph,
    inbound,
    db,
    apiKey,
    tenantId,
    channel: (type, body, flow = greeterFlow) => connectChannel(stack, apiKey, type, body, flow),
    async rows(sql, params = []) {
      return (await db.query(sql, params)).rows;
    },
    async close() {
      await inbound.close();
      await stack.close();
      await db.end();
      await graph.close();
      await scratch.drop();
    },
  };
}

/** Contact messages and bot replies of every conversation on a channel, oldest first. */
export async function transcript(bench: ChannelBench, channelId: string) {
  return bench.rows<{ direction: string; text: string; status: string | null; external_id: string | null; error: string | null; metadata: any; conversation_id: string }>(
    `select m.direction, m.text, m.status, m.external_id, m.error, m.metadata, m.conversation_id
       from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 order by m.created_at, m.id`,
    [channelId],
  );
}

/** Waits until no contact message on the channel has a file still `pending` (downloads run after the turn). */
export async function filesSettled(bench: ChannelBench, channelId: string, timeoutMs = 20_000) {
  await waitUntil(
    async () => (await transcript(bench, channelId)).every((m) => !(m.metadata?.attachments ?? []).some((a: { status?: string }) => a.status === 'pending')),
    timeoutMs,
    'attachments downloaded',
  );
}
