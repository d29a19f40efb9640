/**
 * Who may call what, in one place. A route may declare `config: { roles: [...] }`; otherwise the
 * default rules below decide by method and route prefix. `admin` may always call everything.
 * API keys act with the role of their scope (API_KEY_SCOPE_ROLES); a `runs-only` key is further
 * held to the routes that start and follow flow runs (RUNS_ONLY_ROUTES).
 *
 * - viewer:  every GET (and knowledge-base search), except users, API keys and settings
 * - agent:   viewer + inbox actions (takeover, release, agent messages, typing, close) + booking and changing appointments + placing calls and taking them over
 * - builder: viewer + flows, test sessions, knowledge bases, documents, runs, canned responses, chat sessions, appointments, placing calls
 * - marketer: viewer + contacts, segments, brand voices, content and campaigns (not their approval), voices, avatars and videos, the menu (not connecting Square), presence audits and their share links
 * - approver: marketer + approving a campaign or sending it back with changes
 * - the marketing assistant (/v1/assistant): admin, marketer and approver
 * - admin:   everything, including /v1/users, /v1/api-keys, /v1/settings, /v1/audit-log, /v1/alerts, staff calendars, outbound webhooks and a contact's export and erasure
 *            (/v1/webhooks/subscriptions, /v1/webhooks/deliveries: reads too, they show integration details)
 * Anything not covered (a new write route) is admin-only until a rule or the route says otherwise.
 * `POST /v1/runs/:runId/signal` also applies, per signal, the rule of the route that sends that
 * signal (`SIGNAL_ROUTES`), so it is no way around them.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiKeyScope } from '../../core/api/admin';
import type { Role } from '../../core/api/auth';
import { AppError } from '../../core/errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route (admin is always allowed); overrides the default rules. */
    roles?: readonly Role[];
  }
}

const EVERYONE: readonly Role[] = ['admin', 'builder', 'agent', 'viewer', 'marketer', 'approver'];
const MARKETING: readonly Role[] = ['admin', 'marketer', 'approver'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Rule {
  route: RegExp;
  /** `read` = GET/HEAD/OPTIONS, `write` = the rest. */
  methods: 'read' | 'write' | 'any';
  roles: readonly Role[];
}

/** First match wins. Patterns are Fastify route patterns (`:id`), not concrete URLs. */
export const ROLE_RULES: readonly Rule[] = [
  { route: /^\/v1\/(users|api-keys|settings|webhooks\/subscriptions|webhooks\/deliveries|audit-log)(\/|$)/, methods: 'any', roles: ['admin'] },
  // Alert rules show their webhook URL: reads are admins' too.
  { route: /^\/v1\/alerts(\/|$)/, methods: 'any', roles: ['admin'] },
  // A contact's export (all its data) and erasure are the admin's, reads included.
  { route: /^\/v1\/contacts\/:id\/(export|erase)$/, methods: 'any', roles: ['admin'] },
  // A staff member's calendar connection (server, user name) and private feed URL are integration secrets.
  { route: /^\/v1\/calendars\/staff\//, methods: 'any', roles: ['admin'] },
  { route: /^\/v1\/auth\//, methods: 'any', roles: EVERYONE },
  // The marketing assistant reads the business's figures and drafts its posts: the marketing roles'.
  { route: /^\/v1\/assistant(\/|$)/, methods: 'any', roles: MARKETING },
  // A search reads, even though it is a POST.
  { route: /^\/v1\/knowledge-bases\/:id\/search$/, methods: 'write', roles: EVERYONE },
  { route: /^\/v1\/conversations\/:id\/(takeover|release|agent-messages|typing|close)$/, methods: 'write', roles: ['admin', 'agent'] },
  // The front desk books and moves appointments, whoever staffs it.
  { route: /^\/v1\/appointments(\/|$)/, methods: 'write', roles: ['admin', 'builder', 'agent'] },
  // Placing a phone call is the front desk's (agents) and automation's (builders) work.
  { route: /^\/v1\/calls$/, methods: 'write', roles: ['admin', 'builder', 'agent'] },
  // Taking a live call over to one's own phone is the inbox's work.
  { route: /^\/v1\/calls\/:id\/take-over$/, methods: 'write', roles: ['admin', 'agent'] },
  // Whoever writes a campaign is not who lets it go out: approval is the approver's (and the admin's).
  { route: /^\/v1\/campaigns\/:id\/(approve|request-changes)$/, methods: 'write', roles: ['admin', 'approver'] },
  { route: /^\/v1\/(contacts|segments|brand-voices|content|campaigns)(\/|$)/, methods: 'write', roles: MARKETING },
  // The Square access token is an integration secret: connecting and disconnecting are the admin's; the rest of the menu is marketing work.
  { route: /^\/v1\/menu\/square$/, methods: 'write', roles: ['admin'] },
  { route: /^\/v1\/menu(\/|$)/, methods: 'write', roles: MARKETING },
  // The presence grader: marketers run audits, share and revoke their reports.
  { route: /^\/v1\/presence(\/|$)/, methods: 'write', roles: MARKETING },
  // Campaign content on WhatsApp needs approved templates: submitting them is the marketer's work.
  { route: /^\/v1\/channels\/:id\/whatsapp-templates(\/|$)/, methods: 'write', roles: MARKETING },
  { route: /^\/v1\//, methods: 'read', roles: EVERYONE },
  {
    route: /^\/v1\/(flows|knowledge-bases|documents|runs|canned-responses|conversations|chat\/sessions)(\/|$)/,
    methods: 'write',
    roles: ['admin', 'builder'],
  },
  // Trying the intent classifier on a sentence reads; intents and their examples are the builder's.
  { route: /^\/v1\/intents\/classify$/, methods: 'write', roles: EVERYONE },
  { route: /^\/v1\/intents(\/|$)/, methods: 'write', roles: ['admin', 'builder'] },
  // Videos are campaign material and flow material: marketers and builders make them.
  { route: /^\/v1\/(voices|avatars|videos)(\/|$)/, methods: 'write', roles: ['admin', 'marketer', 'approver', 'builder'] },
];

export function allowedRoles(method: string, routeUrl: string, declared?: readonly Role[]): readonly Role[] {
  if (declared) return declared;
  const read = READ_METHODS.has(method.toUpperCase());
  const rule = ROLE_RULES.find((r) => r.route.test(routeUrl) && (r.methods === 'any' || (r.methods === 'read') === read));
  return rule?.roles ?? ['admin'];
}

/** Throws 403 unless the caller's role may use this route. Unknown routes (404s) pass through. */
export function enforceRole(request: FastifyRequest, role: Role): void {
  const url = request.routeOptions.url;
  if (!url || role === 'admin') return;
  const roles = allowedRoles(request.method, url, request.routeOptions.config?.roles);
  if (!roles.includes(role)) {
    throw new AppError('forbidden', `the ${role} role may not ${request.method} ${url}`, { field: 'role' });
  }
}

/** The role each API key scope acts with. */
export const API_KEY_SCOPE_ROLES: Readonly<Record<ApiKeyScope, Role>> = { admin: 'admin', 'read-only': 'viewer', 'runs-only': 'builder' };

/**
 * What a `runs-only` key may call: start a published flow's run, list and read runs (with their
 * graph and history), resume one waiting for input or cancel one. Not terminate, reset or raw signals,
 * nor anything outside runs.
 */
export const RUNS_ONLY_ROUTES: readonly { method: string; route: RegExp }[] = [
  { method: 'GET', route: /^\/v1\/flows(\/:id)?$/ },
  { method: 'POST', route: /^\/v1\/flows\/:id\/runs$/ },
  { method: 'GET', route: /^\/v1\/runs(\/|$)/ },
  { method: 'POST', route: /^\/v1\/runs\/:runId\/(resume|cancel)$/ },
];

/** Throws 403 when an API key's scope does not cover this route (read-only keys are held by their viewer role). */
export function enforceKeyScope(request: FastifyRequest, scope: ApiKeyScope): void {
  const url = request.routeOptions.url;
  if (!url || scope !== 'runs-only') return;
  const method = request.method.toUpperCase() === 'HEAD' ? 'GET' : request.method.toUpperCase();
  if (!RUNS_ONLY_ROUTES.some((r) => r.method === method && r.route.test(url))) {
    throw new AppError('forbidden', `a runs-only API key may not ${request.method} ${url}: it may start flow runs and read, resume or cancel them`, { field: 'scope' });
  }
}

/** The dedicated route behind each workflow signal (workflows/messages.ts); the signal route applies its roles. */
export const SIGNAL_ROUTES: Readonly<Record<string, { method: string; url: string }>> = {
  inbound: { method: 'POST', url: '/v1/conversations/:id/messages' },
  agentMessage: { method: 'POST', url: '/v1/conversations/:id/agent-messages' },
  takeOver: { method: 'POST', url: '/v1/conversations/:id/takeover' },
  release: { method: 'POST', url: '/v1/conversations/:id/release' },
  close: { method: 'POST', url: '/v1/conversations/:id/close' },
  resume: { method: 'POST', url: '/v1/runs/:runId/resume' },
};

/** Throws 403 unless the caller may send this signal through its own route (unknown signals: admin only). */
export function enforceSignalRole(request: FastifyRequest, signal: string): void {
  const role = request.principal.role;
  if (role === 'admin') return;
  const route = Object.hasOwn(SIGNAL_ROUTES, signal) ? SIGNAL_ROUTES[signal] : undefined;
  if (!route || !allowedRoles(route.method, route.url).includes(role)) {
    throw new AppError('forbidden', `the ${role} role may not send the '${signal}' signal${route ? ` (it is ${route.method} ${route.url})` : ''}`, { field: 'name' });
  }
}
