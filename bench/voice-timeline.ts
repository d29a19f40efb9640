/**
 * Where a call webhook's time goes: places a few calls on the bench's menu flow (the first
 * synthesizes the prompts), then prints the last call's Temporal history event by event with the
 * time since the previous one (local activities by their marker), beside each webhook's round trip
 * as the fake Twilio measured it. Usage: npm run bench:voice-timeline [-- --calls 4]
 */
import { parseArgs } from 'node:util';
import { callWorkflowId } from '../core/ids';
import { startLocalTestServer } from '../temporal/test-server';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { NUMBER, menuFlow, newCaller, startVoiceBench } from '../test/voice-e2e/support';
import { printTimeline } from './history-timeline';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '4' } } });
const env = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_voice_timeline');
const openai = await startFakeOpenAI({ responder: () => ({ content: 'A table for two is noted.' }) });
const bench = await startVoiceBench({ temporalAddress: env.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, { llm: { baseURL: `${openai.url}/v1` }, env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' } });
try {
  const channel = await bench.channel(menuFlow({ answer: 'model' }));
  let last = null;
  for (let i = 0; i < Number(values.calls); i++) {
    last = bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER }).press('2').say('I want to book a table for two', { confidence: 0.9 });
    await last.ended;
  }
  console.log(`webhooks (ms): ${last!.webhooks.map((w) => `${w.kind} ${Math.round(w.ms)}`).join(', ')}`);
  const history = await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, last!.sid)).fetchHistory();
  printTimeline(history.events ?? []);
} finally {
  await bench.close();
  await openai.close();
  await env.teardown();
  await db.drop();
}
