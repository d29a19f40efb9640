/**
 * Where a turn's time goes: runs a few turns on the benchmark's flow, then reads the last turn's
 * Temporal history and prints each event with the time since the previous one, plus the API's own
 * round trip. `--flow echo` runs bench:turn's ask → sendMessage flow instead of the model call.
 * Usage: npm run bench:timeline [-- --flow llm|echo]
 */
import { parseArgs } from 'node:util';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { echoFlow, llmOnlyFlow } from '../test/support/flows';
import { startStack } from '../test/support/stack';
import { startLocalTestServer } from '../temporal/test-server';
import { printTimeline } from './history-timeline';

const { values } = parseArgs({ options: { flow: { type: 'string', default: 'llm' } } });
if (values.flow !== 'llm' && values.flow !== 'echo') throw new Error('--flow is llm or echo');
const graph = values.flow === 'echo' ? echoFlow : llmOnlyFlow;
const env = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_timeline');
const fake = await startFakeOpenAI();
const stack = await startStack({ temporalAddress: env.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' } });
try {
  const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Timeline', graph } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
  const rtts: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey, body: { text: `question ${i}` } });
    rtts.push(Math.round(performance.now() - t));
  }
  console.log(`API round trips (ms): ${rtts.join(', ')}`);
  const history = await stack.temporal.workflow.getHandle(conv.body.workflowId).fetchHistory();
  const events = history.events ?? [];
  const lastTurnStart = events.findLastIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  printTimeline(events.slice(Math.max(0, lastTurnStart - 3)));
} finally {
  await stack.close();
  await fake.close();
  await env.teardown();
  await db.drop();
}
