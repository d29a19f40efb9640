/**
 * Workflow task slots in two sizes: up to `total` tasks at once, and no new slot while `cold` of
 * them are tasks taken from the task queue itself rather than from this worker's sticky queue.
 *
 * A sticky task is the next step of a run this worker holds in its cache: a turn, milliseconds of
 * work. A task from the task queue is a new run's first, or a run this worker does not hold, which
 * replays its whole history: after a worker restart, every conversation's next task. The SDK's
 * fixed-size supplier has one number for both. Eight kept the restart's replays from outliving
 * their timeout on two cores, but fifty conversations' turns then found no free slot, so Temporal
 * could not hand them to a waiting poll and wrote each to its task backlog and read it back:
 * 1.5–2 ms more of Temporal's CPU a turn, and two thirds of the baseline's throughput (bench:turn;
 * ARCHITECTURE.md, "A worker holds at most 100 workflow tasks").
 *
 * Which kind of task a slot will carry is known only once its poll returns: the SDK reserves slots
 * for its pollers from one pool (a slot reserved for a sticky poll may carry a task from the task
 * queue). So cold tasks are counted when a slot is used, and while `cold` of them run no slot is
 * handed out. Polls already waiting on the task queue may still bring cold tasks: at most `cold`
 * plus those two polls (worker/create.ts), less one, run at once. Holding slots not yet used to the count as well would make it
 * exact, but idle sticky polls then hold them all and a new run's first task waits for their
 * minute-long polls to end.
 */
import type { CustomSlotSupplier, SlotPermit, WorkflowSlotInfo } from '@temporalio/worker';

export interface WorkflowSlotCounts {
  total: number;
  cold: number;
}

export function workflowTaskSlots(limits: WorkflowSlotCounts): CustomSlotSupplier<WorkflowSlotInfo> & { inUse(): WorkflowSlotCounts } {
  if (limits.cold > limits.total) throw new RangeError(`cold workflow task slots (${limits.cold}) exceed the total (${limits.total})`);
  const held = { total: 0, cold: 0 };
  const waiting: ((permit: SlotPermit) => void)[] = [];

  const free = () => held.total < limits.total && held.cold < limits.cold;
  const take = (): SlotPermit => {
    held.total++;
    return {};
  };

  const wake = () => {
    while (waiting.length > 0 && free()) waiting.shift()!(take());
  };

  return {
    type: 'custom',
    reserveSlot(_ctx, abortSignal): Promise<SlotPermit> {
      if (free()) return Promise.resolve(take());
      return new Promise((resolve, reject) => {
        if (abortSignal.aborted) return reject(abortSignal.reason);
        const grant = (permit: SlotPermit) => {
          abortSignal.removeEventListener('abort', onAbort);
          resolve(permit);
        };
        const onAbort = () => {
          const at = waiting.indexOf(grant);
          if (at >= 0) waiting.splice(at, 1);
          reject(abortSignal.reason);
        };
        abortSignal.addEventListener('abort', onAbort, { once: true });
        waiting.push(grant);
      });
    },
    tryReserveSlot: () => (free() ? take() : null),
    markSlotUsed({ slotInfo }) {
      if (!slotInfo.isSticky) held.cold++;
    },
    releaseSlot({ slotInfo }) {
      held.total--;
      // Without slot info the slot was never used (its poll timed out or stopped).
      if (slotInfo && !slotInfo.isSticky) held.cold--;
      wake();
    },
    inUse: () => ({ ...held }),
  };
}
