/**
 * The Appointments pages in real Chromium against the real API, worker and Temporal: an admin adds
 * a staff member with a lunch break and a service, sees the generated slots in the preview (none
 * in the break), finds a booking on the calendar, drags it to another half hour, drags it onto a
 * taken one and gets "Slot just taken" with the next free slots, filters the booking list, and
 * sees the analytics figures and charts, and turns the public booking page on; a viewer sees the
 * catalogue without the admins' buttons. Screenshots in test-results/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appointmentWorkflowId } from '../../core/ids';
import { tenantEm } from '../../db/orm';
import { cancelAppointment, getAppointment } from '../../scheduling/service';
import { launchBrowser } from '../support/browser';
import { buildConsoleOnce } from '../support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ConsoleApp, createConsoleUser } from './support/console';
import { at, book, catalogFixture, dayIn } from './support/scheduling';

let stack: Stack;
let browser: Browser;
let page: Page;
let app: ConsoleApp;
let tenant: { tenantId: string; apiKey: string };

beforeAll(async () => {
  await buildConsoleOnce();
  stack = await startStack(sharedServers());
  browser = await launchBrowser();
  tenant = await stack.createTenant();
  await catalogFixture(stack, tenant.tenantId, { staff: false });
  const admin = await createConsoleUser(stack, tenant.apiKey, 'admin');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  app = new ConsoleApp(page, stack.url);
  await app.signIn(admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const eventually = { timeout: 15_000, interval: 100 };
const tomorrow = dayIn(1);

it('creates staff with hours and a service, and previews the slots', { timeout: 120_000 }, async () => {
  await app.nav('Appointments').click();
  await page.getByRole('heading', { name: 'Appointments', level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'Services and hours' }).click();

  await page.getByRole('tab', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Add staff member' }).click();
  const staff = page.getByRole('dialog', { name: 'Add staff member' });
  await staff.getByLabel('Name').fill('Grace Hopper');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) await staff.getByLabel(`Weekly hours ${day}`).fill('09:00-12:00, 13:00-17:00');
  await staff.getByLabel('Weekly hours mon').fill('9 to 5');
  await staff.getByRole('button', { name: 'Save' }).click();
  await staff.getByText(/is not a time range/).waitFor();
  await staff.getByLabel('Weekly hours mon').fill('09:00-12:00, 13:00-17:00');
  await staff.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: /Grace Hopper/ }).waitFor();

  await page.getByRole('tab', { name: 'Services', exact: true }).click();
  await page.getByRole('button', { name: 'Add service' }).click();
  const service = page.getByRole('dialog', { name: 'Add service' });
  await service.getByLabel('Name', { exact: true }).fill('Consultation');
  await service.getByLabel('Length (minutes)').fill('30');
  await service.getByLabel('Minimum notice (minutes)').fill('0');
  await service.getByLabel('Staff', { exact: true }).selectOption({ label: 'Grace Hopper' });
  await app.screenshot('scheduling-01-service-dialog');
  await service.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Services' }).getByRole('row', { name: /Consultation.*Grace Hopper/ }).waitFor();

  await page.getByLabel('Preview day').fill(tomorrow);
  const slots = page.getByRole('list', { name: 'Generated slots' });
  await expect.poll(() => slots.getByRole('listitem').count(), eventually).toBe(14);
  const texts = await slots.getByRole('listitem').allTextContents();
  expect(texts[0]).toBe('09:00 · Grace Hopper');
  expect(texts.some((t) => t.startsWith('12:'))).toBe(false);
  expect(texts.at(-1)).toBe('16:30 · Grace Hopper');
  await app.screenshot('scheduling-02-slot-preview');
  expect(app.errors).toEqual([]);
});

it('shows a booking on the calendar, moves it by dragging, and offers the next slots when the target is taken', { timeout: 120_000 }, async () => {
  const ids = await catalogIds();
  const alan = await book(stack, tenant.tenantId, { ...ids, startsAt: at(tomorrow, '10:00'), name: 'Alan Turing' });
  await book(stack, tenant.tenantId, { ...ids, startsAt: at(tomorrow, '11:00'), name: 'Barbara Liskov' });

  await page.getByRole('tab', { name: 'Calendar' }).click();
  await page.getByLabel('Show').selectOption({ label: 'Grace Hopper' });
  await page.getByLabel('View').selectOption('day');
  await page.getByLabel('Date', { exact: true }).fill(tomorrow);
  const calendar = page.getByRole('region', { name: 'Calendar' });
  const alanBlock = calendar.getByRole('button', { name: /^Alan Turing, Consultation, 10:00/ });
  await alanBlock.waitFor();
  await app.screenshot('scheduling-03-calendar');

  await alanBlock.dragTo(...(await halfHour(`${tomorrow}T14:00`)));
  await calendar.getByRole('button', { name: /^Alan Turing, Consultation, 14:00/ }).waitFor({ timeout: 15_000 });
  await expect.poll(async () => (await getAppointment(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, alan.id)).startsAt, eventually).toBe(at(tomorrow, '14:00').replace('.000', '.000'));

  // Onto Barbara's half hour: refused, the booking stays, and the next free slots are offered.
  await calendar.getByRole('button', { name: /^Alan Turing, Consultation, 14:00/ }).dragTo(...(await halfHour(`${tomorrow}T11:00`)));
  const taken = page.getByRole('dialog', { name: 'Slot just taken' });
  await taken.waitFor({ timeout: 15_000 });
  const next = taken.getByRole('list', { name: 'Next free slots' }).getByRole('button');
  await expect.poll(() => next.count(), eventually).toBeGreaterThan(0);
  await app.screenshot('scheduling-04-slot-taken');
  await next.first().click();
  await taken.waitFor({ state: 'detached' });
  await expect.poll(async () => (await getAppointment(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, alan.id)).startsAt, eventually).not.toBe(at(tomorrow, '14:00'));
  expect(app.errors).toEqual([]);
});

it('filters the booking list and shows the analytics', { timeout: 120_000 }, async () => {
  const ids = await catalogIds();
  const cancelled = await book(stack, tenant.tenantId, { ...ids, startsAt: at(tomorrow, '15:00'), name: 'Edsger Dijkstra' });
  await cancelAppointment(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, cancelled.id, { reason: 'ill', by: 'customer' });

  await page.getByRole('tab', { name: 'Bookings' }).click();
  const table = page.getByRole('table', { name: 'Bookings' });
  await expect.poll(() => table.getByRole('row').count(), eventually).toBe(4);
  await page.getByLabel('Status').selectOption('cancelled');
  await expect.poll(() => table.getByRole('row').count(), eventually).toBe(2);
  await table.getByRole('row', { name: /Edsger Dijkstra.*cancelled/ }).waitFor();
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('From').fill(dayIn(2));
  await page.getByLabel('To').fill(dayIn(3));
  await page.getByText('No bookings match these filters.').waitFor();
  await app.screenshot('scheduling-05-bookings');

  await page.getByRole('tab', { name: 'Analytics' }).click();
  const totals = page.getByRole('definition');
  await expect.poll(() => totals.allTextContents(), eventually).toEqual(['3', '1 (33.3%)', '—', expect.stringMatching(/ h$/)]);
  for (const chart of ['Bookings per day', 'Busiest hours', 'Lead time']) {
    await page.getByRole('figure', { name: chart }).locator('.recharts-surface').first().waitFor();
  }
  await expect.poll(() => page.getByRole('figure', { name: 'Busiest hours' }).locator('.recharts-bar-rectangle').count(), eventually).toBeGreaterThan(0);
  await app.screenshot('scheduling-06-analytics');

  // The public page: off until turned on here; then its address and the iframe snippet show.
  await page.getByRole('tab', { name: 'Booking page' }).click();
  await page.getByLabel('Sites that may embed it').fill('https://shop.example.com/path');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/each allowed origin must look like/).waitFor();
  await page.getByLabel('Sites that may embed it').fill('https://shop.example.com');
  await page.getByRole('checkbox', { name: /On: anyone with the link/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  const link = page.getByRole('link', { name: /\/book\/t-/ });
  await link.waitFor();
  expect((await fetch((await link.getAttribute('href'))!)).status).toBe(200);
  await app.screenshot('scheduling-07-booking-page-setting');
  expect(app.errors).toEqual([]);
});

it('shows a viewer the catalogue without the buttons only admins may use', { timeout: 60_000 }, async () => {
  const viewer = await createConsoleUser(stack, tenant.apiKey, 'viewer');
  const viewerPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const viewerApp = new ConsoleApp(viewerPage, stack.url);
  await viewerApp.signIn(viewer.email, viewer.password);
  await viewerApp.goto('/appointments/catalog');
  await viewerPage.getByRole('table', { name: 'Services' }).getByRole('row', { name: /Consultation/ }).waitFor();
  expect(await viewerPage.getByRole('button', { name: 'Add service' }).count()).toBe(0);
  expect(await viewerPage.getByRole('button', { name: /^(Edit|Delete) Consultation$/ }).count()).toBe(0);
  expect(await viewerPage.getByRole('tab', { name: 'Booking page' }).count()).toBe(0);
  expect(viewerApp.errors).toEqual([]);
  await viewerPage.close();
});

it('shows a booking’s run with its reminder timers and its log', { timeout: 60_000 }, async () => {
  const { serviceId, staffId } = await catalogIds();
  const booked = await stack.request('POST', '/v1/appointments', { apiKey: tenant.apiKey, body: { serviceId, staffId, startsAt: at(dayIn(5), '15:00'), customer: { name: 'Katherine Johnson' } } });
  expect(booked.status).toBe(201);
  const workflowId = appointmentWorkflowId(tenant.tenantId, booked.body.id);
  await app.goto(`/runs/${encodeURIComponent(workflowId)}`);
  await page.getByRole('heading', { name: workflowId }).waitFor();
  const timers = page.getByRole('table', { name: 'Durable timers' });
  await timers.getByRole('row', { name: /waiting/ }).first().waitFor();
  expect(await timers.getByRole('row').count()).toBeGreaterThan(2);
  await page.getByRole('list', { name: 'Run log' }).getByRole('listitem').first().waitFor();
  await app.screenshot('scheduling-08-appointment-run');
  expect(app.errors).toEqual([]);
});

/**
 * Where to drop onto a half hour: its day column at the cell's height (the column takes drops;
 * a booking already there would hide the cell from a pointer aimed at the cell itself).
 */
async function halfHour(slot: string) {
  const calendar = page.getByRole('region', { name: 'Calendar' });
  const cell = (await calendar.locator(`[data-slot="${slot}"]`).boundingBox())!;
  const column = calendar.locator(`[data-day="${slot.slice(0, 10)}"]`);
  const box = (await column.boundingBox())!;
  return [column, { targetPosition: { x: box.width / 2, y: cell.y - box.y + cell.height / 2 } }] as const;
}

async function catalogIds() {
  const services = (await stack.request('GET', '/v1/services', { apiKey: tenant.apiKey })).body.items;
  const service = services.find((s: { name: string }) => s.name === 'Consultation');
  return { serviceId: service.id as string, staffId: service.staffIds[0] as string };
}
