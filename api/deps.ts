/** What the API needs from the outside world; built by api/main.ts, or by tests with their own servers. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config';
import type { WorkflowGateway } from '../temporal/clients';
import type { MediaStore } from '../media/store';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  /** Commands and publishing. */
  redis: Redis;
  /** A fresh connection for a subscriber (a Redis connection in subscribe mode can do nothing else). */
  createSubscriber: () => Redis;
  temporal: Client;
  workflows: WorkflowGateway;
  /** 32-byte key that signs chat tokens. */
  secretKey: Buffer;
  /** The media store (media/store.ts); unset: the one the config names. */
  mediaStore?: MediaStore;
}
