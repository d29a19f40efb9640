/**
 * Staff calendars. Admins connect a staff member's CalDAV calendar (the connection is tested
 * before it is saved; the password is encrypted with db/secrets and never returned), test it again,
 * disconnect it, and rotate the private feed token. The feed itself,
 * `GET /v1/calendars/feeds/{token}.ics`, needs no login: the token is the secret (calendar apps
 * cannot send credentials), it names one staff member, and it reads that tenant's rows only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { caldavBody, caldavSaved, caldavTestResult, calendarSettings, feedParams, staffIdParam, type CalendarSettingsDto } from '../../core/api/calendars';
import { errorBody, errorResponses } from '../../core/api/common';
import { publicUrl, type Config } from '../../core/config';
import { AppError } from '../../core/errors';
import { secretBox } from '../../channels/directory';
import type { StaffMember } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { feedRows, requireStaff, rotateFeedToken, saveCaldav, staffByFeedToken } from '../../db/repos/calendars';
import { configPolicy } from '../../net/address-policy';
import { discoverCalendars } from '../../scheduling/caldav';
import { staffFeedIcs } from '../../scheduling/ics';
import type { AppDeps } from '../deps';

const tags = ['appointments'];
/** The feed spans a month back and a year ahead: what a subscribed calendar shows. */
const FEED_PAST_MS = 31 * 86_400_000;
const FEED_AHEAD_MS = 366 * 86_400_000;

/** The feed path with its token hidden: request logs must not hand out read access to a calendar. */
export const maskFeedToken = (url: string) => url.replace(/(\/v1\/calendars\/feeds\/)[^/?#]+/, '$1***.ics');

const feedUrl = (config: Config, token: string) => `${publicUrl(config)}/v1/calendars/feeds/${token}.ics`;
const newFeedToken = () => randomBytes(24).toString('base64url');

async function staffOf(em: EntityManager, staffId: string): Promise<StaffMember> {
  const staff = await requireStaff(em, staffId);
  if (!staff) throw new AppError('not_found', 'staff member not found', { field: 'staffId' });
  return staff;
}

const settingsOf = (staff: StaffMember, config: Config): CalendarSettingsDto => ({
  staffId: staff.id,
  caldav: staff.caldav ? { url: staff.caldav.url, username: staff.caldav.username, calendarUrl: staff.caldav.calendarUrl } : null,
  feedUrl: feedUrl(config, staff.icsFeedToken),
});

export const calendarFeedRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { config } = deps;
    const policy = configPolicy(config);

    app.get(
      '/v1/calendars/staff/:staffId',
      { schema: { tags, summary: "A staff member's calendar connection and private feed URL", params: staffIdParam, response: { 200: calendarSettings, ...errorResponses } } },
      async (request) => settingsOf(await staffOf(request.em, request.params.staffId), config),
    );

    app.put(
      '/v1/calendars/staff/:staffId/caldav',
      {
        schema: { tags, summary: "Connect a staff member's CalDAV calendar (tested first) and start syncing it", params: staffIdParam, body: caldavBody, response: { 200: caldavSaved, ...errorResponses } },
      },
      async (request) => {
        const staff = await staffOf(request.em, request.params.staffId);
        const found = await discoverCalendars(request.body, { policy });
        await saveCaldav(request.em, staff, { url: request.body.url, username: request.body.username, passwordEncrypted: secretBox(config).encrypt(request.body.password), calendarUrl: found.calendar.url });
        await deps.workflows.calendarSync.start(request.tenantId, staff.id);
        return { ...settingsOf(staff, config), calendars: found.calendars };
      },
    );

    app.post(
      '/v1/calendars/staff/:staffId/caldav/test',
      { schema: { tags, summary: 'Test the saved CalDAV connection', params: staffIdParam, response: { 200: caldavTestResult, ...errorResponses } } },
      async (request) => {
        const { caldav } = await staffOf(request.em, request.params.staffId);
        if (!caldav) throw new AppError('conflict', 'no calendar is connected for this staff member', { field: 'staffId' });
        return { ok: true as const, ...(await discoverCalendars({ ...caldav, password: secretBox(config).decrypt(caldav.passwordEncrypted) }, { policy })) };
      },
    );

    app.delete(
      '/v1/calendars/staff/:staffId/caldav',
      { schema: { tags, summary: "Disconnect a staff member's calendar", params: staffIdParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        const staff = await staffOf(request.em, request.params.staffId);
        await saveCaldav(request.em, staff, null);
        await deps.workflows.calendarSync.cancel(request.tenantId, staff.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/calendars/staff/:staffId/feed-token',
      { schema: { tags, summary: 'Issue a new private feed URL (the old one stops working)', params: staffIdParam, response: { 200: calendarSettings, ...errorResponses } } },
      async (request) => {
        const staff = await staffOf(request.em, request.params.staffId);
        await rotateFeedToken(request.em, staff, newFeedToken());
        return settingsOf(staff, config);
      },
    );

    app.get(
      '/v1/calendars/feeds/:token.ics',
      { config: { public: true }, schema: { tags, summary: "A staff member's bookings as a read-only iCalendar feed (the token is the secret)", params: feedParams, response: { 200: z.string(), 404: errorBody, 400: errorBody } } },
      async (request, reply) => {
        const found = await staffByFeedToken(deps.orm.em, request.params.token);
        if (!found) throw new AppError('not_found', 'feed not found', { field: 'token' });
        const now = Date.now();
        const { bookings, timezone } = await feedRows(tenantEm(deps.orm, found.tenant), found, new Date(now - FEED_PAST_MS), new Date(now + FEED_AHEAD_MS));
        const body = staffFeedIcs(found.name, timezone, bookings.map((b) => ({ appointment: b.view, opts: { location: b.location } })));
        return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(body);
      },
    );
  };
