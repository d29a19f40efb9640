import type { TraceEntry } from '../messages';

export const TRACE_LIMIT = 300;

/** Node visits of a run, newest last, capped so workflow state stays small. */
export class TraceLog {
  constructor(readonly entries: TraceEntry[] = []) {}

  begin(nodeId: string, type: string, turn: number): TraceEntry {
    const entry: TraceEntry = { nodeId, type, turn, startedAt: new Date().toISOString() };
    this.entries.push(entry);
    if (this.entries.length > TRACE_LIMIT) this.entries.splice(0, this.entries.length - TRACE_LIMIT);
    return entry;
  }

  finish(entry: TraceEntry, result: { handle?: string; output?: unknown; error?: string }): void {
    entry.finishedAt = new Date().toISOString();
    if (result.handle !== undefined) entry.handle = result.handle;
    if (result.output !== undefined) entry.output = result.output;
    if (result.error !== undefined) entry.error = result.error;
  }
}
