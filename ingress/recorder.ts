/**
 * Records webhook events with group commit: while an insert is in flight, the webhooks that arrive
 * meanwhile wait for the next one and share it. Idle, a webhook gets its own statement at once;
 * under load, one commit carries hundreds, and each response still waits for its row.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { InboundEvent } from '../channels/types';
import { stripUnstorableDeep } from '../core/text';
import { systemEm } from '../db/orm';
import { recordInboundEvents, type InboundEventRow } from '../db/repos/channels-inbound';

interface Waiting {
  rows: InboundEventRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One insert at a time. Eight at a time (as before) meant one or two rows a statement under load,
 * each its own commit and socket write: with the worker dispatching on the same two cores, webhook
 * p99 at 500 and 1,000/s was 2.1–3.9 s; with two 0.37–1.4 s, with one 0.12–0.31 s (bench:ingress).
 */
const MAX_IN_FLIGHT = 1;
const MAX_ROWS = 400;

export class InboundRecorder {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly orm: MikroORM,
    /** New rows, to be queued for dispatch. */
    private readonly onRecorded: (ids: string[]) => void,
  ) {}

  /**
   * Text PostgreSQL cannot store (NUL, unpaired surrogates) is stripped from every provider's
   * events here, where they all pass: a webhook must still be acknowledged, and one such value
   * would fail the whole group commit, other tenants' webhooks with it.
   */
  record(tenantId: string, channelId: string, events: InboundEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows: events.map((event) => ({ tenantId, channelId, event: stripUnstorableDeep(event) })), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch: Waiting[] = [];
      let rows = 0;
      while (this.waiting.length > 0 && (batch.length === 0 || rows + this.waiting[0].rows.length <= MAX_ROWS)) {
        const next = this.waiting.shift()!;
        rows += next.rows.length;
        batch.push(next);
      }
      this.inFlight++;
      recordInboundEvents(systemEm(this.orm), batch.flatMap((w) => w.rows))
        .then(
          (ids) => {
            for (const w of batch) w.resolve();
            this.onRecorded(ids);
          },
          (err) => {
            for (const w of batch) w.reject(err);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
