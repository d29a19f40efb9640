/**
 * The retention run's delete batches on a scratch PostgreSQL database: a tenant with `--messages`
 * messages in `--conversations` conversations, 80 % of them closed and past the cutoff, the rest in
 * open conversations active yesterday; the messages kind is deleted batch by batch (`--batch` rows,
 * as the workflow's activity does) until none is left. Prints and writes batch latency percentiles,
 * rows per second, and a check that exactly the aged rows went. Writes bench/results/retention.json.
 *
 *   npm run bench:retention [-- --messages 100000 --conversations 2000 --batch 500]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cutoffOf } from '../core/retention';
import { createOrm, systemEm } from '../db/orm';
import { deleteExpiredBatch, ensureTenant } from '../db/repos';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, conversations: { type: 'string', default: '2000' }, batch: { type: 'string', default: '500' } } });
const MESSAGES = Number(values.messages);
const CONVERSATIONS = Number(values.conversations);
const BATCH = Number(values.batch);
const out = fileURLToPath(new URL('./results/retention.json', import.meta.url));

const loadAverageBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_retention');
const orm = await createOrm(db.url, { poolSize: 4 });
const sql = new pg.Client({ connectionString: db.url });
await sql.connect();
try {
  const tenantId = (await ensureTenant(systemEm(orm), `bench-retention-${Date.now()}`, 'Retention bench')).id;
  const { rows: [flow] } = await sql.query(`insert into flows (tenant_id, name, draft) values ($1, 'Bench', '{}') returning id`, [tenantId]);
  // Every fifth conversation is open and active yesterday; the others closed 100 days ago.
  await sql.query(
    `insert into conversations (tenant_id, flow_id, flow_version, channel, status, workflow_id, last_message_at)
     select $1, $2, 1, 'sms', case when n % 5 = 0 then 'bot' else 'closed' end, 'conv:bench:' || n,
            case when n % 5 = 0 then now() - interval '1 day' else now() - interval '100 days' end
       from generate_series(1, $3) n`,
    [tenantId, flow.id, CONVERSATIONS],
  );
  await sql.query(
    `insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, created_at)
     select $1, c.id, 'in', 'contact', 'message ' || n, 'bench:' || n, now() - interval '100 days'
       from generate_series(1, $2) n
       join lateral (select id from conversations where tenant_id = $1 order by workflow_id offset (n % $3) limit 1) c on true`,
    [tenantId, MESSAGES, CONVERSATIONS],
  );
  await sql.query('analyze');
  const count = async (q: string) => Number((await sql.query(q, [tenantId])).rows[0].n);
  const keptExpected = await count(`select count(*) as n from messages m join conversations c on c.id = m.conversation_id where m.tenant_id = $1 and c.status <> 'closed'`);

  const cutoff = cutoffOf(new Date().toISOString(), 30);
  const latencies: number[] = [];
  const deleted: Record<string, number> = {};
  const started = performance.now();
  for (let more = true; more; ) {
    const t0 = performance.now();
    const batch = await deleteExpiredBatch(systemEm(orm), { tenantId, kind: 'messages', cutoff, limit: BATCH });
    latencies.push(performance.now() - t0);
    for (const [table, n] of Object.entries(batch.counts)) deleted[table] = (deleted[table] ?? 0) + n;
    more = batch.more;
  }
  const seconds = (performance.now() - started) / 1000;
  const kept = await count(`select count(*) as n from messages where tenant_id = $1`);
  const result = {
    messages: MESSAGES,
    conversations: CONVERSATIONS,
    batchSize: BATCH,
    deleted,
    batches: summarize(latencies),
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round((deleted.messages ?? 0) / seconds),
    keptMessages: kept,
    keptAsExpected: kept === keptExpected,
    machine: { cpus: os.cpus().length, loadAverageBefore },
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult(out, result);
  if (!result.keptAsExpected) process.exitCode = 1;
} finally {
  await sql.end();
  await orm.close(true);
  await db.drop();
}
