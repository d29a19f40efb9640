/**
 * The webhook recorder's group commit on real PostgreSQL: webhooks that arrive while an insert is
 * in flight share the next one. Rows one statement inserted share its transaction id (xmin), so the
 * number of distinct xmins is the number of statements the burst cost.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InboundEvent } from '../../channels/types';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { createChannel, ensureTenant } from '../../db/repos';
import { InboundRecorder } from '../../ingress/recorder';
import { testOrm } from '../db/fixtures';

let orm: Orm;
let tenantId: string;
let channelId: string;

beforeAll(async () => {
  orm = await testOrm();
  tenantId = (await ensureTenant(systemEm(orm), `recorder-${randomBytes(4).toString('hex')}`, 'Recorder')).id;
  channelId = (await createChannel(tenantEm(orm, tenantId), tenantId, { type: 'whatsapp', name: 'wa', flowId: null, settings: { phoneNumberId: '1' }, credentialFields: [], credentialsEncrypted: null })).id;
});
afterAll(() => orm.close(true));

const message = (i: number): InboundEvent => ({
  kind: 'message',
  externalId: `wamid.burst.${i}`,
  contactAddress: `+1555000${String(i).padStart(4, '0')}`,
  message: { channel: 'whatsapp', text: `message ${i}` },
});

it('records a burst of webhooks in two statements: the first alone, the rest together while it runs', async () => {
  const queued: string[][] = [];
  const recorder = new InboundRecorder(orm, (ids) => queued.push(ids));
  await Promise.all(Array.from({ length: 60 }, (_, i) => recorder.record(tenantId, channelId, [message(i)])));

  const [row] = await systemEm(orm).getConnection().execute<{ rows: string; statements: string }[]>(
    `select count(*) as rows, count(distinct xmin::text) as statements from inbound_messages where channel_id = ?`,
    [channelId],
  );
  expect(Number(row.rows)).toBe(60);
  expect(Number(row.statements)).toBe(2);
  expect(queued.map((ids) => ids.length)).toEqual([1, 59]);

  // A webhook delivered again is acknowledged but not queued twice.
  await recorder.record(tenantId, channelId, [message(0)]);
  expect(queued.at(-1)).toEqual([]);
});
