import type { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config';
import type { StoredEvent } from '../events/sink';
import type { EnabledSubscription } from '../db/repos/webhooks';

/** What every activity capability needs; built once per worker process. */
export interface ActivityDeps {
  orm: MikroORM;
  /** Publishing connection (pub/sub to live listeners). */
  redis: Redis;
  eventsQueue: Queue;
  /**
   * What follows an event's storing (the webhook fan-out, the labelling debounce), for the events
   * an activity stores itself with its data (a message's); the sink runs the same after storing a
   * queued event. Called again on a retry: it must be idempotent. `subscriptions`: the events'
   * tenant's enabled webhook subscriptions, when the statement that stored them read them too.
   */
  afterEventsStored: (events: StoredEvent[], subscriptions?: EnabledSubscription[]) => Promise<void>;
  config: Config;
  /** Queues recorded inbound rows for dispatch (the worker wires ingress/queue); without it the sweeper finds them. */
  enqueueInbound?: (ids: string[]) => Promise<void>;
}
