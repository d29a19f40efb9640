/**
 * The widget's view of a `webchat` channel: looked up by id without an API key (the widget is
 * public), so this is one of the few cross-tenant reads, and the only thing it reveals is the
 * channel's tenant to the code that then scopes everything else by it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { webchatSettingsSchema, type WebchatSettings } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { Channel } from '../../db/entities';
import { systemEm, type Orm } from '../../db/orm';
import { BoundedMap } from '../../core/bounded-map';

export interface WebchatChannel {
  id: string;
  tenantId: string;
  flowId: string | null;
  settings: WebchatSettings;
}

/** Settings edits reach widgets within this long; every page load of a busy site would query otherwise. */
const CACHE_MS = 5_000;
const CACHE_SIZE = 5_000;
const cache = new BoundedMap<string, { channel: WebchatChannel | null; until: number }>(CACHE_SIZE);

export async function requireWebchatChannel(orm: Orm, channelId: string): Promise<WebchatChannel> {
  const hit = cache.get(channelId);
  let channel = hit && hit.until > Date.now() ? hit.channel : undefined;
  if (channel === undefined) {
    const row = await systemEm(orm).findOne(Channel, { id: channelId, type: 'webchat' }, { filters: { tenant: false } });
    channel = row ? { id: row.id, tenantId: row.tenant, flowId: row.flow ?? null, settings: parseSettings(row.settings) } : null;
    cache.set(channelId, { channel, until: Date.now() + CACHE_MS });
  }
  if (!channel) throw new AppError('not_found', 'web-chat channel not found', { field: 'channelId' });
  return channel;
}

/** Stored settings were validated on write; rows written before a default existed still get it. */
function parseSettings(stored: Record<string, unknown>): WebchatSettings {
  const parsed = webchatSettingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('conflict', `the channel's settings are invalid (${issue.path.join('.')}: ${issue.message}); fix them through /v1/channels`, {
    field: 'settings',
  });
}

/** The origin of the API itself, as the browser sees it: the hosted demo page is always allowed. */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * CORS for the widget routes, limited to the channel's `allowedOrigins` (empty: any site). A
 * request without an Origin header is not from a browser page and CORS does not apply to it.
 * A refused origin gets 403 and no CORS headers, so the page cannot read anything either way.
 */
export function allowOrigin(channel: WebchatChannel, request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  reply.header('vary', 'Origin');
  if (!origin) return;
  const allowed = channel.settings.allowedOrigins;
  if (allowed.length > 0 && !allowed.includes(origin) && origin !== ownOrigin(request)) {
    throw new AppError('forbidden', `this site (${origin}) may not embed the widget: add it to the channel's allowedOrigins`, { field: 'origin' });
  }
  reply.header('access-control-allow-origin', origin);
}

/** Answers a CORS preflight: the actual request checks the origin against its channel. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply) {
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin);
  return reply
    .header('vary', 'Origin')
    .header('access-control-allow-methods', 'GET, POST')
    .header('access-control-allow-headers', 'authorization, content-type')
    .header('access-control-max-age', '600')
    .status(204)
    .send();
}
