/**
 * Records webhook events with group commit: while a few inserts are in flight, the webhooks that
 * arrive meanwhile wait for the next one and share it. Idle, a webhook gets its own statement at
 * once; under load, one commit carries hundreds, and each response still waits for its row.
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

const MAX_IN_FLIGHT = 8;
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
