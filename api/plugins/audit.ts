/**
 * The audit log's writer: every state-changing route that succeeds appends one entry (who, role,
 * scope, action, target, changed fields, IP, user agent, time) before its answer goes out, unless
 * the route is traffic rather than management (AUDIT_EXCLUDED, each with why). A route that knows
 * the resource before and after the change says so with `recordChange`, and the entry holds the
 * difference; otherwise it holds the request body as sent. Secrets are redacted either way.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { diff, type AuditChange } from '../../core/audit';
import { appendAuditEntry } from '../../db/repos';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a route through `recordChange`. */
    auditChange: AuditChangeInput | null;
  }
}

export interface AuditChangeInput {
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

/** Lets a route give the audit entry its target and the resource before and after the change. */
export function recordChange(request: FastifyRequest, change: AuditChangeInput): void {
  request.auditChange = { ...request.auditChange, ...change };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Authenticated write routes that are not management actions, and why. Matched on the route pattern. */
export const AUDIT_EXCLUDED: readonly { method: string; route: RegExp; why: string }[] = [
  { method: 'POST', route: /^\/v1\/conversations$/, why: 'an API client opening a conversation is traffic, kept in the conversation itself' },
  { method: 'POST', route: /^\/v1\/conversations\/:id\/(messages|agent-messages|typing)$/, why: 'messages are the conversation’s transcript, not management' },
  { method: 'POST', route: /^\/v1\/knowledge-bases\/:id\/search$/, why: 'a search reads' },
  { method: 'POST', route: /^\/v1\/flows\/:id\/validate$/, why: 'validating changes nothing' },
  { method: 'POST', route: /^\/v1\/flows\/:id\/runs$/, why: 'a run is recorded in its own workflow history' },
  { method: 'POST', route: /^\/v1\/flows\/:id\/test-sessions$/, why: 'a “Try it” conversation on a draft is traffic' },
  { method: 'POST', route: /^\/v1\/chat\/sessions$/, why: 'a web-chat token is traffic' },
  { method: 'POST', route: /\/test$/, why: 'a connection test changes nothing' },
  { method: 'POST', route: /^\/v1\/auth\/logout$/, why: 'ending one’s own session is kept in the sessions table' },
  { method: 'POST', route: /^\/v1\/brand-voices\/:id\/try$/, why: 'trying a voice writes a sample and stores nothing' },
  { method: 'POST', route: /^\/v1\/content\/(generate|check)$/, why: 'writing or checking content stores nothing; the campaign that keeps it is audited' },
  { method: 'POST', route: /^\/v1\/segments\/count$/, why: 'counting an audience changes nothing' },
  { method: 'POST', route: /^\/v1\/intents\/classify$/, why: 'trying the intent classifier on a sentence stores nothing' },
  { method: 'POST', route: /^\/v1\/voices\/:id\/sample$/, why: 'a voice sample is speech in the cache, not a change' },
  { method: 'POST', route: /^\/v1\/videos\/script$/, why: 'writing a script stores nothing; the render that uses it is audited' },
];

export const isAudited = (method: string, route: string) =>
  STATE_CHANGING.has(method.toUpperCase()) && !AUDIT_EXCLUDED.some((x) => x.method === method.toUpperCase() && x.route.test(route));

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };
/** A route's last segment that names what it does to the resource before it. */
const ACTION_SEGMENTS = new Set(['publish', 'reindex', 'replay', 'restore', 'takeover', 'release', 'close', 'cancel', 'terminate', 'reset', 'resume', 'signal', 'bulk', 'reschedule', 'confirm', 'complete', 'no-show', 'generate', 'submit', 'approve', 'request-changes', 'pause', 'rate', 'refresh', 'import', 'erase']);

const singular = (noun: string) => (noun === 'settings' ? noun : noun.endsWith('ies') ? `${noun.slice(0, -3)}y` : noun.endsWith('s') && !noun.endsWith('ss') ? noun.slice(0, -1) : noun);

/** `PUT /v1/flows/:id` → `flow.update`; `POST /v1/flows/:id/publish` → `flow.publish`; `PUT /v1/settings/llm` → `settings.llm.update`. */
export function auditAction(method: string, route: string): { action: string; targetType: string } {
  // `documents::bulk` is a literal colon: a noun and what is done to it.
  const segments = route.replace(/^\/v1\//, '').split('/').flatMap((s) => (s.includes('::') ? s.split('::') : [s]));
  let verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  if (segments.length > 1 && ACTION_SEGMENTS.has(segments.at(-1)!)) verb = segments.pop()!;
  const nouns = segments.filter((s) => !s.startsWith(':')).map(singular);
  return { action: [...nouns, verb].join('.'), targetType: nouns.join('.') };
}

/** The id a create answered with, when its answer is a JSON object with one. */
function createdId(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || payload.length > 1_000_000 || !payload.startsWith('{')) return undefined;
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function targetIdOf(request: FastifyRequest, payload: unknown): string | null {
  const params = (request.params ?? {}) as Record<string, string>;
  const ids = Object.entries(params).filter(([k]) => k !== 'version');
  return request.auditChange?.targetId ?? ids.at(-1)?.[1] ?? createdId(payload) ?? null;
}

function changesOf(request: FastifyRequest): AuditChange[] {
  const given = request.auditChange;
  if (given && (given.before !== undefined || given.after !== undefined)) return diff(given.before ?? {}, given.after ?? {});
  const body = request.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? diff({}, body) : [];
}

/**
 * Appends one entry for this request's caller. The hook below uses it for every audited write; a
 * read that must be on record (a contact's export) calls it itself.
 */
export async function appendRequestAudit(request: FastifyRequest, entry: { action: string; targetType: string | null; targetId: string | null; statusCode: number; changes: AuditChange[] }): Promise<void> {
  const principal = request.principal;
  await appendAuditEntry(request.em, {
    tenantId: principal.tenantId,
    actorKind: principal.kind === 'apiKey' ? 'apiKey' : 'user',
    actorLabel: principal.label,
    userId: principal.userId,
    role: principal.role,
    scope: principal.scope ?? null,
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    path: request.url.split('?')[0],
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    ...entry,
  });
}

export function registerAudit(app: FastifyInstance): void {
  app.decorateRequest('auditChange', null);
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const route = request.routeOptions.url;
    const principal = request.principal;
    if (!route || !principal || reply.statusCode >= 400 || !isAudited(request.method, route)) return payload;
    const { action, targetType } = auditAction(request.method, route);
    try {
      await appendRequestAudit(request, { action, targetType: request.auditChange?.targetType ?? targetType, targetId: targetIdOf(request, payload), statusCode: reply.statusCode, changes: changesOf(request) });
    } catch (err) {
      // The change is made and committed: answering 500 would invite a retry of it. Ops see this line.
      request.log.error({ err, route, action }, 'audit entry not written');
    }
    return payload;
  });
}
