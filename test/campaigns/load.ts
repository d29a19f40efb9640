/**
 * A large SMS campaign on its own stack, for the benchmark (bench/campaign.ts) and the crash test:
 * a Temporal dev server, a scratch database, the fake Twilio, the API in-process (no worker: the
 * caller runs worker processes it can measure or kill), `contacts` consenting contacts inserted in
 * bulk, and a campaign to all of them at an unlimited rate.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startLocalTestServer } from '../../temporal/test-server';
import { CampaignClient } from '../../temporal/campaigns';
import { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { connectChannel } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../support/database';
import { startStack, type Stack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { smsVariant } from './support';

export interface CampaignLoad {
  stack: Stack;
  twilio: FakeTwilio;
  sql: pg.Client;
  tenantId: string;
  campaignId: string;
  client: CampaignClient;
  startWorker(): Promise<WorkerProcess>;
  /** Starts, submits and approves the campaign. */
  launch(): Promise<void>;
  /** Each contact's messages at the fake Twilio: recipients sent twice, and consenting contacts never sent. */
  verify(): { sent: number; duplicates: number; missed: number };
  close(): Promise<void>;
}

export async function startCampaignLoad(opts: { contacts: number; env?: Record<string, string> }): Promise<CampaignLoad> {
  const temporal = await startLocalTestServer();
  const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_campaign');
  const account = `AC${randomBytes(16).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  const twilio = await startFakeTwilio({ accounts: { [account]: token } });
  const env = { CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', ...opts.env };
  const stack = await startStack({ temporalAddress: temporal.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false, env });
  const { tenantId, apiKey } = await stack.createTenant();
  const channel = await connectChannel(stack, apiKey, 'sms', { credentials: { accountSid: account, authToken: token }, settings: { fromNumber: '+15005550006', apiBaseUrl: twilio.url } });
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // Phones +1 555 000 0000 … in order; consent rows in the same statement's shape as an import.
  await sql.query(
    `insert into contacts (tenant_id, channel, external_id, first_name, phone)
     select $1, 'api', 'load-' || n, 'Guest' || n, '+1555' || lpad(n::text, 7, '0') from generate_series(1, $2) n`,
    [tenantId, opts.contacts],
  );
  await sql.query(
    `insert into contact_consents (tenant_id, contact_id, channel, status, method, opted_in_at, updated_at)
     select tenant_id, id, 'sms', 'opted_in', 'import', now(), now() from contacts where tenant_id = $1 and phone is not null`,
    [tenantId],
  );
  const em = tenantEm(stack.orm, tenantId);
  const row = em.create(Campaign, { tenant: tenantId, name: 'Load', channels: ['sms'], channelIds: { sms: channel.id }, ratePerSecond: { sms: 0 }, variants: [smsVariant('Hi {{contact.firstName|there}}, the tasting menu is back: https://example.com/menu')] } as Campaign);
  await em.flush();
  const campaignId = row.id as string;
  const client = new CampaignClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE);
  const workers: WorkerProcess[] = [];

  return {
    stack, twilio, sql, tenantId, campaignId, client,
    async startWorker() {
      const w = await startWorkerProcess({ ...stack.workerEnv(), ...env, LOG_LEVEL: 'warn' });
      workers.push(w);
      return w;
    },
    async launch() {
      await client.startCampaign(tenantId, campaignId);
      await client.campaignUpdate(tenantId, campaignId, 'submit', { by: 'load' });
      await client.campaignUpdate(tenantId, campaignId, 'approve', { by: 'load', role: 'admin' });
    },
    verify() {
      const per = new Map<string, number>();
      for (const m of twilio.messages) per.set(m.to, (per.get(m.to) ?? 0) + 1);
      let duplicates = 0;
      for (const n of per.values()) if (n > 1) duplicates++;
      return { sent: per.size, duplicates, missed: opts.contacts - per.size };
    },
    async close() {
      for (const w of workers) await w.kill();
      await sql.end();
      await stack.close();
      await twilio.close();
      await db.drop();
      await temporal.teardown();
    },
  };
}
