/**
 * Undo/redo over whole editor snapshots (nodes, edges and settings are immutable values, so a
 * snapshot is a few references). Edits with the same `coalesceKey` within a second merge into one
 * step, so typing a prompt is one undo, not one per keystroke.
 */

const COALESCE_MS = 1000;
const LIMIT = 200;

export class EditHistory<S> {
  private past: S[] = [];
  private future: S[] = [];
  private lastKey: string | undefined;
  private lastAt = 0;

  constructor(private present: S) {}

  /** Records `next` as the new present; the old present becomes undoable. */
  commit(next: S, coalesceKey?: string) {
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

  undo(): S | null {
    return this.step(this.past, this.future);
  }

  redo(): S | null {
    return this.step(this.future, this.past);
  }

  /** Moves one snapshot from `from` to the present, keeping the present on `to`. */
  private step(from: S[], to: S[]): S | null {
    const target = from.pop();
    if (!target) return null;
    to.push(this.present);
    this.present = target;
    this.lastKey = undefined;
    return target;
  }

  get canUndo() {
    return this.past.length > 0;
  }
  get canRedo() {
    return this.future.length > 0;
  }
}
