/**
 * Availability and booking under load, on a scratch PostgreSQL database:
 *  1. slot search for one service across 50 staff members over a month, with 10,000 existing
 *     bookings in that month: latency percentiles of `findSlots` (database reads + engine);
 *  2. 1,000 concurrent booking attempts over 100 slots (10 per slot): booked, refused, and a check
 *     in SQL that no seat of any staff member is held twice.
 * Writes bench/results/availability.json.
 *
 *   npm run bench:availability [-- --searches 100 --staff 50 --bookings 10000 --attempts 1000 --slots 100]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import pg from 'pg';
import { computeSlots, type WeeklyHours } from '../core/scheduling';
import { Location, Service, StaffMember } from '../db/entities';
import { createOrm, systemEm, tenantEm } from '../db/orm';
import { createCatalogRow, ensureTenant } from '../db/repos';
import { bookAppointment, findSlots, SlotTakenError } from '../scheduling/service';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { mapConcurrent, summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: {
    searches: { type: 'string', default: '100' },
    staff: { type: 'string', default: '50' },
    bookings: { type: 'string', default: '10000' },
    attempts: { type: 'string', default: '1000' },
    slots: { type: 'string', default: '100' },
  },
});
const SEARCHES = Number(values.searches);
const STAFF = Number(values.staff);
const BOOKINGS = Number(values.bookings);
const ATTEMPTS = Number(values.attempts);
const SLOTS = Number(values.slots);
const ZONE = 'Europe/Berlin';
const out = fileURLToPath(new URL('./results/availability.json', import.meta.url));

/** Weekdays with a lunch break, and a Saturday morning for every third person: hours differ between staff. */
const hoursFor = (n: number): WeeklyHours => {
  const day = n % 2 ? [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }] : [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, ...(n % 3 === 0 ? { sat: [{ start: '09:00', end: '13:00' }] } : {}) };
};

const loadAverageBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_availability');
const orm = await createOrm(db.url, { poolSize: 20 });
const sql = new pg.Client({ connectionString: db.url });
await sql.connect();
try {
  const tenantId = (await ensureTenant(systemEm(orm), `bench-availability-${Date.now()}`, 'Availability bench')).id;
  const em = tenantEm(orm, tenantId);
  const location = await createCatalogRow(em, Location, tenantId, { name: 'Bench clinic', timezone: ZONE, address: '' });
  const staff: StaffMember[] = [];
  for (let n = 0; n < STAFF + 1; n++) staff.push(await createCatalogRow(em, StaffMember, tenantId, { location: location.id, name: `Staff ${n}`, weeklyHours: hoursFor(n) }));
  const racer = staff.pop()!;
  // 25 minutes and a 5-minute buffer after: each booking holds exactly its 30-minute grid cell.
  const rules = { location: location.id, durationMinutes: 25, bufferAfterMinutes: 5, slotIntervalMinutes: 30, maxHorizonDays: 120 };
  const service = await createCatalogRow(em, Service, tenantId, { ...rules, name: 'Consultation', staffIds: staff.map((s) => s.id), resourceIds: [] });
  const raceService = await createCatalogRow(em, Service, tenantId, { ...rules, name: 'Race', staffIds: [racer.id], resourceIds: [] });

  const from = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf('week');
  const to = from.plus({ days: 30 });
  const range = { from: from.toUTC().toISO()!, to: to.toUTC().toISO()! };

  // 10,000 bookings on free grid cells of the month, spread evenly over the staff, written in bulk.
  const grid = computeSlots({
    service: { ...service, id: service.id },
    timezone: ZONE,
    locationExceptions: [],
    staff: staff.map((s) => ({ id: s.id, weeklyHours: s.weeklyHours, exceptions: [], holds: [], busy: [] })),
    resources: [],
    from: from.toMillis(),
    to: to.toMillis(),
    now: Date.now(),
  });
  const chosen = grid.filter((_, i) => i % Math.max(1, Math.floor(grid.length / BOOKINGS)) === 0).slice(0, BOOKINGS);
  await sql.query(
    `insert into appointments (tenant_id, service_id, location_id, staff_id, starts_at, ends_at, customer_name, source)
     select $1, $2, $3, s, a, b, 'Bench customer', 'api' from unnest($4::uuid[], $5::timestamptz[], $6::timestamptz[]) as t(s, a, b)`,
    [tenantId, service.id, location.id, chosen.map((c) => c.staffId), chosen.map((c) => c.startsAt), chosen.map((c) => c.endsAt)],
  );
  await sql.query(
    `insert into appointment_holds (appointment_id, tenant_id, service_id, assignee_id, seat, during)
     select id, tenant_id, service_id, staff_id, 1, tstzrange(starts_at, ends_at + interval '5 minutes', '[)') from appointments where tenant_id = $1`,
    [tenantId],
  );
  await sql.query('analyze');
  console.log(`${STAFF} staff, ${grid.length} grid cells in the month, ${chosen.length} booked`);

  // 1. Slot search: a month, all staff.
  let slotCount = 0;
  for (let i = 0; i < 5; i++) await findSlots(tenantEm(orm, tenantId), tenantId, { serviceId: service.id, ...range });
  const searchMs: number[] = [];
  // This process's CPU per search (engine, driver, ORM): the part of the latency that does not
  // grow with what else the machine runs; the load average says how shared the cores were.
  const cpuMs: number[] = [];
  const loadDuring: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    slotCount = (await findSlots(tenantEm(orm, tenantId), tenantId, { serviceId: service.id, ...range })).length;
    const c = process.cpuUsage(c0);
    searchMs.push(performance.now() - t0);
    cpuMs.push((c.user + c.system) / 1000);
    if (i % 10 === 0) loadDuring.push(os.loadavg()[0]);
  }
  const search = summarize(searchMs);
  const cpu = summarize(cpuMs);
  const load = Math.round((loadDuring.reduce((x, y) => x + y, 0) / loadDuring.length) * 10) / 10;
  console.log(`slot search, a month × ${STAFF} staff → ${slotCount} free slots: p50 ${search.p50} ms, p95 ${search.p95} ms, p99 ${search.p99} ms (this process's CPU p50 ${cpu.p50} ms; load average ${load} on ${os.cpus().length} cores)`);

  // 2. The race: ATTEMPTS bookings over SLOTS starts of one staff member, all in flight at once.
  const targets = (await findSlots(tenantEm(orm, tenantId), tenantId, { serviceId: raceService.id, ...range, limit: SLOTS })).map((s) => s.startsAt);
  const attempts = Array.from({ length: ATTEMPTS }, (_, n) => targets[n % targets.length]);
  let booked = 0;
  let refused = 0;
  let otherErrors = 0;
  const t0 = performance.now();
  const bookMs = await mapConcurrent(attempts, ATTEMPTS, async (startsAt, n) => {
    const t = performance.now();
    try {
      await bookAppointment(tenantEm(orm, tenantId), tenantId, { serviceId: raceService.id, startsAt, customer: { name: `Racer ${n}` }, source: 'api' });
      booked++;
    } catch (err) {
      if (err instanceof SlotTakenError) refused++;
      else {
        otherErrors++;
        if (otherErrors === 1) console.error(err);
      }
    }
    return performance.now() - t;
  });
  const raceSeconds = (performance.now() - t0) / 1000;
  const { rows: doubles } = await sql.query(
    `select count(*)::int as n from appointment_holds x join appointment_holds y on x.assignee_id = y.assignee_id and x.seat = y.seat and x.id < y.id and x.during && y.during where x.active and y.active and x.tenant_id = $1`,
    [tenantId],
  );
  const { rows: perSlot } = await sql.query(`select max(c)::int as most from (select count(*) c from appointments where service_id = $1 and status = 'booked' group by starts_at) t`, [raceService.id]);
  const race = { attempts: ATTEMPTS, slots: targets.length, booked, refused, otherErrors, doubleBooked: doubles[0].n, mostPerSlot: perSlot[0].most, seconds: Math.round(raceSeconds * 100) / 100, attemptMs: summarize(bookMs) };
  console.log(`booking race: ${race.attempts} attempts over ${race.slots} slots → ${booked} booked, ${refused} refused (slot taken), ${otherErrors} other errors, ${race.doubleBooked} double-booked, in ${race.seconds} s`);

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore },
    search: { staff: STAFF, days: 30, existingBookings: chosen.length, freeSlots: slotCount, searches: SEARCHES, latencyMs: search, cpuMs: cpu, loadAverageDuring: load, targetP95Ms: 50, met: search.p95 <= 50 },
    race,
  };
  writeResult(out, result);
  console.log(`wrote ${out}`);
  if (booked !== targets.length || refused !== ATTEMPTS - targets.length || race.doubleBooked !== 0) process.exitCode = 1;
} finally {
  await sql.end();
  await orm.close(true);
  await db.drop();
}
