import type { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config';

/** What every activity capability needs; built once per worker process. */
export interface ActivityDeps {
  orm: MikroORM;
  /** Publishing connection (pub/sub to live listeners). */
  redis: Redis;
  eventsQueue: Queue;
  config: Config;
  /** Queues recorded inbound rows for dispatch (the worker wires ingress/queue); without it the sweeper finds them. */
  enqueueInbound?: (ids: string[]) => Promise<void>;
}
