/**
 * Undo/redo over whole editor snapshots (nodes and edges are immutable arrays, so a snapshot is two
 * references). Edits with the same `coalesceKey` within a second merge into one step, so typing a
 * prompt is one undo, not one per keystroke.
 */
export interface Snapshot<N, E> {
  nodes: N[];
  edges: E[];
}

const COALESCE_MS = 1000;
const LIMIT = 200;

export class EditHistory<N, E> {
  private past: Snapshot<N, E>[] = [];
  private future: Snapshot<N, E>[] = [];
  private lastKey: string | undefined;
  private lastAt = 0;

  constructor(private present: Snapshot<N, E>) {}

  /** Records `next` as the new present; the old present becomes undoable. */
  commit(next: Snapshot<N, E>, coalesceKey?: string) {
    const now = Date.now();
    const merge = coalesceKey !== undefined && coalesceKey === this.lastKey && now - this.lastAt < COALESCE_MS;
    if (!merge) {
      this.past.push(this.present);
      if (this.past.length > LIMIT) this.past.shift();
    }
    this.present = next;
    this.future = [];
    this.lastKey = coalesceKey;
    this.lastAt = now;
  }

  undo(): Snapshot<N, E> | null {
    return this.step(this.past, this.future);
  }

  redo(): Snapshot<N, E> | null {
    return this.step(this.future, this.past);
  }

  /** Moves one snapshot from `from` to the present, keeping the present on `to`. */
  private step(from: Snapshot<N, E>[], to: Snapshot<N, E>[]): Snapshot<N, E> | null {
    const target = from.pop();
    if (!target) return null;
    to.push(this.present);
    this.present = target;
    this.lastKey = undefined;
    return target;
  }

  reset(present: Snapshot<N, E>) {
    this.past = [];
    this.future = [];
    this.present = present;
    this.lastKey = undefined;
  }

  get canUndo() {
    return this.past.length > 0;
  }
  get canRedo() {
    return this.future.length > 0;
  }
}
