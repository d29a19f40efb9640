/**
 * The worker's workflow task slots (worker/workflow-slots.ts) on a real Temporal server and the
 * SDK's real pollers: the split rests on the SDK telling a task from the task queue (each run's
 * first here, as every conversation's after a worker restart) from a sticky one (each turn) when
 * it uses a slot. Runs started together and turns sent together all complete, turns run at once
 * past the cold count, and every cold task is counted out again.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type CustomSlotSupplier, type WorkflowSlotInfo } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { workflowTaskSlots } from '../../worker/workflow-slots';
import { quietRuntime } from '../workflows/support/harness';
import type { SlotProbeActivities } from './support/slot-probe-workflows';

const workflowsPath = fileURLToPath(new URL('./support/slot-probe-workflows.ts', import.meta.url));
const RUNS = 8;
const COLD = 2;

let connection: Connection;
let client: Client;
beforeAll(async () => {
  quietRuntime();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
});

it('sees first tasks as cold and turns as sticky, holds cold tasks to the count, and lets turns past it', async () => {
  const slots = workflowTaskSlots({ total: 20, cold: COLD });
  const used: { workflowType: string; isSticky: boolean; coldRunning: number }[] = [];
  const observed: CustomSlotSupplier<WorkflowSlotInfo> = {
    ...slots,
    markSlotUsed(ctx) {
      slots.markSlotUsed(ctx);
      used.push({ ...ctx.slotInfo, coldRunning: slots.inUse().cold });
    },
  };
  const running = { first: 0, turn: 0 };
  const most = { first: 0, turn: 0 };
  const activities: SlotProbeActivities = {
    async hold(kind) {
      most[kind] = Math.max(most[kind], ++running[kind]);
      await new Promise((done) => setTimeout(done, 500));
      running[kind]--;
    },
  };
  const taskQueue = `slots-${randomBytes(4).toString('hex')}`;
  const fixed = { type: 'fixed-size' as const, numSlots: 100 };
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    tuner: { workflowTaskSlotSupplier: observed, activityTaskSlotSupplier: fixed, localActivityTaskSlotSupplier: fixed, nexusTaskSlotSupplier: fixed },
  });
  const run = worker.run();
  try {
    const handles = await Promise.all(Array.from({ length: RUNS }, (_, i) => client.workflow.start('slotProbe', { taskQueue, workflowId: `${taskQueue}-${i}` })));
    await Promise.all(handles.map((h) => h.executeUpdate('turn')));
    most.turn = 0;
    await Promise.all(handles.map((h) => h.executeUpdate('turn')));
    await Promise.all(handles.map((h) => h.signal('done')));
    await Promise.all(handles.map((h) => h.result()));
  } finally {
    worker.shutdown();
    await run;
    await nativeConnection.close();
  }
  // Every run's first task came from the task queue; everything after, from the sticky queue.
  expect(used.filter((u) => !u.isSticky)).toHaveLength(RUNS);
  expect(used.filter((u) => u.isSticky).length).toBeGreaterThanOrEqual(RUNS * 2);
  // No slot is handed out while COLD cold tasks run; polls already waiting may bring a few more.
  expect(Math.max(...used.map((u) => u.coldRunning))).toBeLessThan(RUNS);
  expect(most.turn).toBeGreaterThan(COLD);
  expect(slots.inUse().cold).toBe(0);
}, 120_000);
