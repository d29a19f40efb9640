/** The embedded database (PGlite) loads btree_gist: the scheduling migration and its exclusion constraint work there as on PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMigrations } from '../../db/migrate';
import { createOrm, tenantEm, type Orm } from '../../db/orm';
import { startPgliteServer, type PgliteServer } from '../../db/pglite-server';
import { bookAppointment, cancelAppointment, SlotTakenError } from '../../scheduling/service';
import { customer, makeSchedulingTenant, nextMondayAt } from './fixtures';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-sched-'));
let server: PgliteServer;
let orm: Orm;

beforeAll(async () => {
  server = await startPgliteServer({ dataDir, port: 0, password: 'pglite scheduling test' });
  await runMigrations(server.url);
  orm = await createOrm(server.url, { poolSize: 3 });
}, 120_000);
afterAll(async () => {
  await orm?.close(true);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('refuses a double booking through the exclusion constraint and frees the slot on cancel', async () => {
  const t = await makeSchedulingTenant(orm);
  const book = (n: number) => bookAppointment(tenantEm(orm, t.tenantId), t.tenantId, { serviceId: t.service.id, startsAt: nextMondayAt('10:00'), customer: customer(n), source: 'api' });
  const results = await Promise.allSettled([book(1), book(2), book(3)]);
  const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  expect(booked).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SlotTakenError)).toHaveLength(2);
  // Straight SQL, past the service's own check: the database itself refuses the overlap.
  const em = tenantEm(orm, t.tenantId);
  const [hold] = await em.execute<{ appointment_id: string; assignee_id: string }[]>(`select appointment_id, assignee_id from appointment_holds where tenant_id = ?`, [t.tenantId]);
  await expect(
    em.execute(`insert into appointment_holds (appointment_id, tenant_id, service_id, assignee_id, seat, during) select appointment_id, tenant_id, service_id, assignee_id, seat, tstzrange(lower(during) + interval '10 minutes', upper(during) + interval '10 minutes') from appointment_holds where appointment_id = ?`, [hold.appointment_id]),
  ).rejects.toThrow(/appointment_holds_no_overlap/);
  await cancelAppointment(tenantEm(orm, t.tenantId), t.tenantId, booked[0].id, { reason: '', by: 'staff' });
  expect((await book(4)).status).toBe('booked');
}, 120_000);
