import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config';
import { workflowTaskPolls } from './create';
import { workflowTaskSlots } from './workflow-slots';

const ctx = (isSticky: boolean) => ({ slotType: 'workflow' as const, taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', isSticky });
const info = (isSticky: boolean) => ({ type: 'workflow' as const, workflowType: 'conversation', isSticky });
const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((done) => setTimeout(() => done(false), 10))]);

describe('workflowTaskSlots', () => {
  it('hands out up to the total, then waits for a release', async () => {
    const slots = workflowTaskSlots({ total: 2, cold: 2 });
    const never = new AbortController().signal;
    const [a] = await Promise.all([slots.reserveSlot(ctx(true), never), slots.reserveSlot(ctx(true), never)]);
    const third = slots.reserveSlot(ctx(true), never);
    expect(await settled(third)).toBe(false);
    expect(slots.tryReserveSlot(ctx(true))).toBeNull();
    slots.releaseSlot({ permit: a });
    expect(await settled(third)).toBe(true);
    expect(slots.inUse()).toEqual({ total: 2, cold: 0 });
  });

  it('hands out nothing while the cold count of tasks from the task queue run; sticky tasks count only toward the total', async () => {
    const slots = workflowTaskSlots({ total: 10, cold: 1 });
    const never = new AbortController().signal;
    const sticky = await slots.reserveSlot(ctx(true), never);
    slots.markSlotUsed({ permit: sticky, slotInfo: info(true) });
    // Reserved for a sticky poll, used for a task from the task queue: the SDK pools its slots.
    const cold = await slots.reserveSlot(ctx(true), never);
    slots.markSlotUsed({ permit: cold, slotInfo: info(false) });
    expect(slots.inUse()).toEqual({ total: 2, cold: 1 });
    const next = slots.reserveSlot(ctx(true), never);
    expect(await settled(next)).toBe(false);
    expect(slots.tryReserveSlot(ctx(false))).toBeNull();
    slots.releaseSlot({ permit: sticky, slotInfo: info(true) });
    expect(await settled(next)).toBe(false);
    slots.releaseSlot({ permit: cold, slotInfo: info(false) });
    expect(await settled(next)).toBe(true);
    expect(slots.inUse()).toEqual({ total: 1, cold: 0 });
  });

  it('drops an aborted reservation without handing it a slot', async () => {
    const slots = workflowTaskSlots({ total: 1, cold: 1 });
    const first = await slots.reserveSlot(ctx(true), new AbortController().signal);
    const abort = new AbortController();
    const waiting = slots.reserveSlot(ctx(true), abort.signal);
    abort.abort(new Error('poller stopped'));
    await expect(waiting).rejects.toThrow('poller stopped');
    // Unused slots come back without slot info (a poll that timed out).
    slots.releaseSlot({ permit: first });
    expect(slots.inUse()).toEqual({ total: 0, cold: 0 });
  });

  it('refuses a cold count above the total', () => {
    expect(() => workflowTaskSlots({ total: 2, cold: 3 })).toThrow(RangeError);
  });

  it('reads its counts from the environment, refusing a cold count or polls above the total by name', () => {
    const config = loadConfig({});
    expect([config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, config.WORKER_MAX_COLD_WORKFLOW_TASKS, config.WORKER_WORKFLOW_TASK_POLLS]).toEqual([100, 8, 25]);
    expect(() => loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4' })).toThrow(/WORKER_MAX_COLD_WORKFLOW_TASKS: must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
    expect(() => loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20' })).toThrow(/WORKER_WORKFLOW_TASK_POLLS: must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
  });
});

describe('workflowTaskPolls', () => {
  it('keeps two polls on the task queue whatever the total, as the SDK computes them (a float32 product, truncated)', () => {
    for (let polls = 3; polls <= 200; polls++) {
      const options = workflowTaskPolls(polls);
      expect(options.workflowTaskPollerBehavior).toEqual({ type: 'simple-maximum', maximum: polls });
      const taskQueuePolls = Math.max(1, Math.trunc(Math.fround(Math.fround(polls) * Math.fround(options.nonStickyToStickyPollRatio!))));
      expect([polls, taskQueuePolls]).toEqual([polls, 2]);
    }
  });
});
