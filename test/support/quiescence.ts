/**
 * "Nothing more happens" is asserted only once the system is quiescent: the BullMQ queues drained,
 * no inbound row waiting for dispatch and no outbound message waiting for its send, and every
 * workflow involved without a pending workflow or activity task — for a window longer than the
 * inbound re-queue (3 s in the channel benches) and the first activity retry backoffs. A fixed
 * sleep shorter than those would assert before a duplicate had a chance to appear.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Client } from '@temporalio/client';
import { EXTERNAL_CHANNELS } from '../../core/channels';
import type { Config } from '../../core/config';
import type { Orm } from '../../db/orm';
import { inboundQueueName } from '../../ingress/queue';

export interface QuiescenceOptions {
  /** Count only this tenant's inbound rows and outbound messages (benches with their own database may leave it out). */
  tenantId?: string;
  /** BullMQ queues to watch (default: the stack's `inbound` queue). Only queues someone consumes. */
  queues?: string[];
  /** Workflows to watch (default: every running workflow on the stack's task queue). */
  workflowIds?: string[];
  /** How long everything must stay idle (default 4 s). */
  stableMs?: number;
  timeoutMs?: number;
}

interface Target {
  temporal: Client;
  orm: Orm;
  config: Pick<Config, 'REDIS_URL' | 'TEMPORAL_TASK_QUEUE'>;
}

export async function waitForQuiescence(target: Target, opts: QuiescenceOptions = {}): Promise<void> {
  const stableMs = opts.stableMs ?? 4_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const connection = new Redis(target.config.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = (opts.queues ?? [inboundQueueName(target.config)]).map((name) => new Queue(name, { connection }));
  try {
    const until = Date.now() + timeoutMs;
    let quietSince: number | null = null;
    let busy = 'not checked yet';
    while (Date.now() < until) {
      busy = (await busyQueue(queues)) ?? (await busyRows(target.orm, opts.tenantId)) ?? (await busyWorkflow(target, opts.workflowIds)) ?? '';
      if (busy) quietSince = null;
      else if (quietSince === null) quietSince = Date.now();
      else if (Date.now() - quietSince >= stableMs) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`not quiescent within ${timeoutMs} ms: ${busy || `quiet for less than ${stableMs} ms`}`);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    await connection.quit();
  }
}

async function busyQueue(queues: Queue[]): Promise<string | null> {
  for (const queue of queues) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) return `queue ${queue.name} has ${JSON.stringify(counts)}`;
  }
  return null;
}

async function busyRows(orm: Orm, tenantId?: string): Promise<string | null> {
  const scope = (table: string) => (tenantId ? ` and ${table}.tenant_id = ?` : '');
  const params = tenantId ? [tenantId] : [];
  // A reply on a provider's channel is waiting for its send until it has a provider id or failed.
  // Only channels whose replies leave through the provider send: a call's spoken lines were
  // delivered in its TwiML, and a web chat's by publishing.
  const sending = EXTERNAL_CHANNELS.map((c) => `'${c}'`).join(', ');
  const [row] = await orm.em.fork().getConnection().execute<{ inbound: string; outbound: string }[]>(
    `select (select count(*) from inbound_messages i where i.status = 'pending'${scope('i')}) as inbound,
            (select count(*) from messages m join conversations c on c.id = m.conversation_id join channels ch on ch.id = c.channel_id
              where m.direction = 'out' and ch.type in (${sending}) and m.external_id is null and m.status is null${scope('m')}) as outbound`,
    [...params, ...params],
  );
  if (Number(row.inbound) > 0) return `${row.inbound} inbound rows pending`;
  if (Number(row.outbound) > 0) return `${row.outbound} outbound messages not sent yet`;
  return null;
}

async function busyWorkflow(target: Target, ids?: string[]): Promise<string | null> {
  const workflowIds = ids ?? (await runningWorkflows(target));
  for (const id of workflowIds) {
    const { raw } = await target.temporal.workflow.getHandle(id).describe();
    if (raw.pendingWorkflowTask) return `workflow ${id} has a pending workflow task`;
    const activities = raw.pendingActivities ?? [];
    if (activities.length > 0) return `workflow ${id} has pending activities ${activities.map((a) => a.activityType?.name).join(', ')}`;
  }
  return null;
}

async function runningWorkflows(target: Target): Promise<string[]> {
  const ids: string[] = [];
  const query = `TaskQueue = '${target.config.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Running'`;
  for await (const wf of target.temporal.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}
