import type { Harness } from '../../workflows/support/harness';

export interface RecordContext {
  h: Harness;
  /** Writes the history of a run (the latest run of the id unless `runId` names one) under `name`. */
  save(name: string, workflowId: string, runId?: string): Promise<void>;
}

export interface Recorder {
  record(ctx: RecordContext): Promise<void>;
  /** Dynamic config of the Temporal server this recorder needs (recorders with the same config share one). */
  serverConfig?: Record<string, number>;
}

/** Fails the recording when the run did not take the path it was recorded for. */
export function expectPath(ok: boolean, what: string): void {
  if (!ok) throw new Error(`the recorded run did not take its path: ${what}`);
}
