/**
 * A workflow whose first task and every update each hold their workflow task slot for a while (a
 * local activity runs inside the task), so a test can count how many tasks of each kind a worker
 * runs at once.
 */
import { condition, defineSignal, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export interface SlotProbeActivities {
  hold(kind: 'first' | 'turn'): Promise<void>;
}

const { hold } = proxyLocalActivities<SlotProbeActivities>({ startToCloseTimeout: '30s' });

export const turn = defineUpdate<void>('turn');
export const done = defineSignal('done');

export async function slotProbe(): Promise<void> {
  let finished = false;
  setHandler(turn, () => hold('turn'));
  setHandler(done, () => void (finished = true));
  await hold('first');
  await condition(() => finished);
}
