/**
 * The route sweep's table: one entry per route (method and Fastify pattern) the API registers.
 * A public route says why it needs no credentials; every other one says which roles may call it
 * (as api/plugins/roles.ts decides) and how another tenant's object is kept out of its reach: a
 * call naming tenant B's object (in the path or the body) that tenant A must get a 404 for, a
 * list whose answer must name none of B's ids, or why the route reaches no tenant's object.
 * HEAD routes share their GET entry. A route missing here fails the sweep.
 */
import type { Role } from '../console-api/support';

/** Tenant B's objects, every one real. */
export interface Ids {
  flow: string;
  conversation: string;
  knowledgeBase: string;
  document: string;
  channel: string;
  canned: string;
  user: string;
  apiKey: string;
  webhook: string;
  /** A dead webhook delivery of `webhook`. */
  delivery: string;
  /** An automation run (workflow id) waiting on its ask node. */
  run: string;
  /** The automation's flow. */
  automation: string;
  /** A bulk import into `knowledgeBase`. */
  import: string;
  /** Scheduling: a location with a staff member, a resource, a service using both, a staff day off and a booking. */
  location: string;
  staff: string;
  resource: string;
  service: string;
  exception: string;
  appointment: string;
  /** Campaigns: a draft with content, and one awaiting approval. */
  campaign: string;
  queuedCampaign: string;
  /** Content: a brand voice. */
  brandVoice: string;
  /** Audiences: a contact and a segment. */
  contact: string;
  segment: string;
  /** Reports and alerts: an alert rule. */
  alertRule: string;
  /** Retention and privacy: a contact that only the erasure removes. */
  erasableContact: string;
  /** Intents: one with examples. */
  intent: string;
  /** Videos: a voice profile, an avatar and a finished render. */
  voice: string;
  avatar: string;
  video: string;
  /** Menu engineering: an item with sales, and a proposed promotion. */
  menuItem: string;
  promotion: string;
  /** Presence grader: a finished audit. */
  presenceAudit: string;
  /** Presence grader: a share link on that audit. */
  presenceShareLink: string;
  /** Calls: a voice channel and a finished call. */
  voiceChannel: string;
  call: string;
  /** The marketing assistant: the tenant key's own assistant conversation. */
  assistantConversation: string;
}

export interface Call {
  path: string;
  body?: unknown;
}

export interface RouteCase {
  /** Why anyone may call it without credentials. */
  public?: string;
  /**
   * Who may call it besides admin: viewer = every role, builder or agent = that role, member = builder and agent,
   * marketing = marketer and approver, approver = that role, admin = admin only.
   */
  roles?: 'viewer' | 'builder' | 'agent' | 'member' | 'marketing' | 'approver' | 'admin' | 'video';
  /** Calls naming B's objects (A must get 404), 'list' (A's answer names no id of B), or why there is no object to reach. */
  tenant?: ((b: Ids) => Call[]) | 'list' | { none: string };
  /** The owner's own call changes or removes the object: run after every other owner call. */
  destroys?: boolean;
  /** A WebSocket: role and anonymous checks open the socket instead. */
  socket?: boolean;
  /** The call ends the caller's session: role checks use a session of their own. */
  signsOut?: boolean;
}

export const ROLE_SETS: Record<NonNullable<RouteCase['roles']>, readonly Role[]> = {
  viewer: ['admin', 'builder', 'agent', 'viewer', 'marketer', 'approver'],
  builder: ['admin', 'builder'],
  agent: ['admin', 'agent'],
  member: ['admin', 'builder', 'agent'],
  marketing: ['admin', 'marketer', 'approver'],
  approver: ['admin', 'approver'],
  admin: ['admin'],
  video: ['admin', 'marketer', 'approver', 'builder'],
};

const docs = { public: 'the OpenAPI description and its UI, no tenant data' };
const widget = { public: 'the embeddable widget: the channel id and a signed visitor token are its credentials' };
const webhook = { public: 'provider webhooks: each is checked against the channel’s own signature or token' };
const booking = { public: 'the public booking page: a tenant’s page answers only when its admin turned it on, and a booking’s .ics needs its signed link' };
const campaignLink = { public: 'campaign links: the recipient’s signed token is the credential; an unsigned or altered one is a 404' };
const grader = { public: 'the public website grader: a tenant’s page answers only when its admin turned it on; submissions pass the timing token, honeypot and per-IP/site/email limits, and a request’s progress needs its signed token' };
const sharedReport = { public: 'a shared presence report: the HMAC-signed share token is the credential; a forged, unknown or revoked one is a 404' };
const consoleFiles = { public: 'the console’s static files and client-side routes' };
const own = (why: string) => ({ none: why });
const settings = (key: string): Record<string, RouteCase> => ({
  [`GET /v1/settings/${key}`]: { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  [`PUT /v1/settings/${key}`]: { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  [`DELETE /v1/settings/${key}`]: { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  [`POST /v1/settings/${key}/test`]: { roles: 'admin', tenant: own('the caller’s own tenant settings') },
});
/** CRUD of one scheduling catalog kind: reads for everyone, writes for admins; `body` creates one under B's location. */
const catalog = (path: string, id: (b: Ids) => string, create: ((b: Ids) => unknown) | null): Record<string, RouteCase> => ({
  [`GET ${path}`]: { roles: 'viewer', tenant: 'list' },
  [`POST ${path}`]: { roles: 'admin', tenant: create ? (b) => [{ path, body: create(b) }] : own('creates one in the caller’s tenant') },
  [`GET ${path}/:id`]: { roles: 'viewer', tenant: (b) => [{ path: `${path}/${id(b)}` }] },
  [`PATCH ${path}/:id`]: { roles: 'admin', tenant: (b) => [{ path: `${path}/${id(b)}`, body: { name: 'Renamed by another tenant' } }] },
});
const run = (action: string, body?: unknown): RouteCase => ({ roles: 'builder', destroys: true, tenant: (b) => [{ path: `/v1/runs/${encodeURIComponent(b.run)}/${action}`, body }] });

export const ROUTE_CASES: Record<string, RouteCase> = {
  'GET /docs': docs,
  'HEAD /docs/': docs,
  'GET /docs/static/index.html': docs,
  'GET /docs/static/swagger-initializer.js': docs,
  'GET /docs/json': docs,
  'GET /docs/yaml': docs,
  'GET /docs/static/*': docs,
  'GET /health': { public: 'liveness probe, no tenant data' },
  'GET /metrics': { public: 'Prometheus scrape: its own METRICS_TOKEN Bearer check (404 when unset), process-wide figures, no tenant data' },
  'GET /chat': { public: 'the standalone chat page; its socket carries a signed token' },
  'GET /': consoleFiles,
  'GET /*': consoleFiles,
  'GET /widget.js': widget,
  'OPTIONS /v1/widget/:channelId/config': widget,
  'OPTIONS /v1/widget/:channelId/sessions': widget,
  'OPTIONS /v1/widget/uploads': widget,
  'GET /v1/widget/:channelId/config': widget,
  'POST /v1/widget/:channelId/sessions': widget,
  'POST /v1/widget/uploads': widget,
  'OPTIONS /v1/widget/voice': widget,
  'POST /v1/widget/voice': widget,
  'GET /v1/widget/files/:id/:name': widget,
  'GET /v1/chat': { public: 'the web chat socket: its signed session token is the credential', socket: true },
  'GET /v1/webhooks/:type/:channelId': webhook,
  'POST /v1/webhooks/:type/:channelId': webhook,
  'POST /v1/webhooks/email/:channelId': webhook,
  'POST /v1/auth/login': { public: 'sign-in: the password is the credential' },

  'POST /v1/auth/logout': { roles: 'viewer', signsOut: true, tenant: own('ends the caller’s own session') },
  'GET /v1/auth/me': { roles: 'viewer', tenant: own('the caller’s own identity') },
  'GET /v1/flow-templates': { roles: 'viewer', tenant: own('built-in templates, no tenant data') },
  'GET /v1/node-catalogue': { roles: 'viewer', tenant: own('the built-in node types, no tenant data') },
  'GET /v1/inbox/live': { roles: 'viewer', socket: true, tenant: own('the caller’s tenant feed: test/security/inbox-isolation.test.ts sends B’s messages at A’s socket') },

  'GET /v1/flows': { roles: 'viewer', tenant: 'list' },
  'POST /v1/flows': { roles: 'builder', tenant: own('creates a flow in the caller’s tenant') },
  'GET /v1/flows/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/flows/${b.flow}` }] },
  'PUT /v1/flows/:id': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.flow}`, body: { description: 'changed by another tenant' } }] },
  'POST /v1/flows/:id/validate': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.flow}/validate` }] },
  'POST /v1/flows/:id/publish': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.flow}/publish`, body: {} }] },
  'POST /v1/flows/:id/runs': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.automation}/runs`, body: { input: { item: 'a chair' } } }] },
  'GET /v1/flows/:id/versions': { roles: 'viewer', tenant: (b) => [{ path: `/v1/flows/${b.flow}/versions` }] },
  'GET /v1/flows/:id/versions/:version': { roles: 'viewer', tenant: (b) => [{ path: `/v1/flows/${b.flow}/versions/1` }] },
  'POST /v1/flows/:id/versions/:version/restore': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.flow}/versions/1/restore` }] },
  'POST /v1/flows/:id/test-sessions': { roles: 'builder', tenant: (b) => [{ path: `/v1/flows/${b.flow}/test-sessions`, body: {} }] },

  'GET /v1/conversations': { roles: 'viewer', tenant: 'list' },
  'POST /v1/conversations': { roles: 'builder', tenant: (b) => [{ path: '/v1/conversations', body: { flowId: b.flow } }] },
  'GET /v1/conversations/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}` }] },
  'GET /v1/conversations/:id/messages': { roles: 'viewer', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/messages` }] },
  'POST /v1/conversations/:id/messages': { roles: 'builder', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/messages`, body: { text: 'Ada' } }] },
  'POST /v1/conversations/:id/takeover': { roles: 'agent', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/takeover`, body: {} }] },
  'POST /v1/conversations/:id/release': { roles: 'agent', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/release` }] },
  'POST /v1/conversations/:id/agent-messages': { roles: 'agent', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/agent-messages`, body: { text: 'hello from elsewhere' } }] },
  'POST /v1/conversations/:id/typing': { roles: 'agent', tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/typing`, body: { typing: true } }] },
  'POST /v1/conversations/:id/close': { roles: 'agent', destroys: true, tenant: (b) => [{ path: `/v1/conversations/${b.conversation}/close` }] },
  'POST /v1/chat/sessions': {
    roles: 'builder',
    tenant: (b) => [
      { path: '/v1/chat/sessions', body: { flowId: b.flow } },
      { path: '/v1/chat/sessions', body: { conversationId: b.conversation } },
    ],
  },

  'GET /v1/runs': { roles: 'viewer', tenant: 'list' },
  'GET /v1/runs/:runId': { roles: 'viewer', tenant: (b) => [{ path: `/v1/runs/${encodeURIComponent(b.run)}` }] },
  'GET /v1/runs/:workflowId/history': { roles: 'viewer', tenant: (b) => [{ path: `/v1/runs/${encodeURIComponent(b.run)}/history` }] },
  'GET /v1/runs/:runId/graph': { roles: 'viewer', tenant: (b) => [{ path: `/v1/runs/${encodeURIComponent(b.run)}/graph` }] },
  'GET /v1/runs/:runId/history/raw': { roles: 'viewer', tenant: (b) => [{ path: `/v1/runs/${encodeURIComponent(b.run)}/history/raw` }] },
  'POST /v1/runs/:runId/resume': run('resume', { text: 'yes' }),
  'POST /v1/runs/:runId/signal': run('signal', { name: 'resume', args: ['yes'] }),
  'POST /v1/runs/:runId/reset': run('reset', { nodeId: 'approve' }),
  'POST /v1/runs/:runId/cancel': run('cancel'),
  'POST /v1/runs/:runId/terminate': run('terminate', { reason: 'stopped by another tenant' }),

  'POST /v1/appointments': { roles: 'member', tenant: (b) => [{ path: '/v1/appointments', body: { serviceId: b.service, startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), customer: { name: 'Planted' } } }] },
  'POST /v1/appointments/:id/reschedule': { roles: 'member', tenant: (b) => [{ path: `/v1/appointments/${b.appointment}/reschedule`, body: { startsAt: new Date(Date.now() + 8 * 86_400_000).toISOString() } }] },
  'POST /v1/appointments/:id/confirm': { roles: 'member', tenant: (b) => [{ path: `/v1/appointments/${b.appointment}/confirm` }] },
  'POST /v1/appointments/:id/no-show': { roles: 'member', destroys: true, tenant: (b) => [{ path: `/v1/appointments/${b.appointment}/no-show` }] },
  'POST /v1/appointments/:id/complete': { roles: 'member', destroys: true, tenant: (b) => [{ path: `/v1/appointments/${b.appointment}/complete` }] },
  'POST /v1/appointments/:id/cancel': { roles: 'member', destroys: true, tenant: (b) => [{ path: `/v1/appointments/${b.appointment}/cancel`, body: { reason: 'cancelled by another tenant' } }] },

  'GET /v1/knowledge-bases': { roles: 'viewer', tenant: 'list' },
  'POST /v1/knowledge-bases': { roles: 'builder', tenant: own('creates a knowledge base in the caller’s tenant') },
  'GET /v1/knowledge-bases/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}` }] },
  'PATCH /v1/knowledge-bases/:id': { roles: 'builder', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}`, body: { description: 'changed by another tenant' } }] },
  'GET /v1/knowledge-bases/:id/documents': { roles: 'viewer', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}/documents` }] },
  'POST /v1/knowledge-bases/:id/documents': { roles: 'builder', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}/documents`, body: { name: 'Planted', text: 'Planted by another tenant.' } }] },
  'POST /v1/knowledge-bases/:id/documents::bulk': { roles: 'builder', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}/documents:bulk`, body: { documents: [{ text: 'Planted by another tenant.' }] } }] },
  'GET /v1/knowledge-bases/:id/imports/:importId': { roles: 'viewer', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}/imports/${b.import}` }] },
  'POST /v1/knowledge-bases/:id/search': { roles: 'viewer', tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}/search`, body: { query: 'opening hours' } }] },
  'GET /v1/documents/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/documents/${b.document}` }] },
  'POST /v1/documents/:id/reindex': { roles: 'builder', tenant: (b) => [{ path: `/v1/documents/${b.document}/reindex` }] },
  'DELETE /v1/documents/:id': { roles: 'builder', destroys: true, tenant: (b) => [{ path: `/v1/documents/${b.document}` }] },
  'DELETE /v1/knowledge-bases/:id': { roles: 'builder', destroys: true, tenant: (b) => [{ path: `/v1/knowledge-bases/${b.knowledgeBase}` }] },

  'GET /v1/channels': { roles: 'viewer', tenant: 'list' },
  'POST /v1/channels': { roles: 'admin', tenant: (b) => [{ path: '/v1/channels', body: { type: 'webchat', name: 'Borrowed flow', flowId: b.flow } }] },
  'GET /v1/channels/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/channels/${b.channel}` }] },
  'PATCH /v1/channels/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/channels/${b.channel}`, body: { name: 'Renamed by another tenant' } }] },
  'DELETE /v1/channels/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/channels/${b.channel}` }] },
  'POST /v1/channels/:id/test': { roles: 'admin', tenant: (b) => [{ path: `/v1/channels/${b.channel}/test` }] },

  'GET /v1/canned-responses': { roles: 'viewer', tenant: 'list' },
  'POST /v1/canned-responses': { roles: 'builder', tenant: own('creates a canned response in the caller’s tenant') },
  'PUT /v1/canned-responses/:id': { roles: 'builder', tenant: (b) => [{ path: `/v1/canned-responses/${b.canned}`, body: { shortcut: 'taken', text: 'Changed by another tenant' } }] },
  'DELETE /v1/canned-responses/:id': { roles: 'builder', destroys: true, tenant: (b) => [{ path: `/v1/canned-responses/${b.canned}` }] },
  'GET /v1/brand-voices': { roles: 'viewer', tenant: 'list' },
  'POST /v1/brand-voices': { roles: 'marketing', tenant: own('creates a brand voice in the caller’s tenant') },
  'GET /v1/brand-voices/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/brand-voices/${b.brandVoice}` }] },
  'PATCH /v1/brand-voices/:id': { roles: 'marketing', tenant: (b) => [{ path: `/v1/brand-voices/${b.brandVoice}`, body: { name: 'Renamed by another tenant' } }] },
  'DELETE /v1/brand-voices/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/brand-voices/${b.brandVoice}` }] },
  'POST /v1/brand-voices/:id/try': { roles: 'marketing', tenant: (b) => [{ path: `/v1/brand-voices/${b.brandVoice}/try`, body: { text: 'Hello there' } }] },
  'POST /v1/content/generate': {
    roles: 'marketing',
    tenant: (b) => [
      { path: '/v1/content/generate', body: { brief: { goal: 'Borrowed voice', channels: ['sms'], brandVoiceId: b.brandVoice } } },
      { path: '/v1/content/generate', body: { brief: { goal: 'Borrowed knowledge', channels: ['sms'], knowledgeBaseId: b.knowledgeBase } } },
    ],
  },
  'POST /v1/content/check': { roles: 'marketing', tenant: own('checks the content in the body against channel limits; reads no stored object') },
  'GET /v1/channels/:id/whatsapp-templates': { roles: 'viewer', tenant: (b) => [{ path: `/v1/channels/${b.channel}/whatsapp-templates` }] },
  'POST /v1/channels/:id/whatsapp-templates': {
    roles: 'marketing',
    tenant: (b) => [{ path: `/v1/channels/${b.channel}/whatsapp-templates`, body: { name: 'borrowed', language: 'en', category: 'MARKETING', body: 'Hello there' } }],
  },
  'POST /v1/channels/:id/whatsapp-templates/refresh': { roles: 'marketing', tenant: (b) => [{ path: `/v1/channels/${b.channel}/whatsapp-templates/refresh` }] },

  'GET /v1/contacts': { roles: 'viewer', tenant: (b) => [{ path: `/v1/contacts?segmentId=${b.segment}` }] },
  'POST /v1/contacts': { roles: 'marketing', tenant: own('creates a contact in the caller’s tenant') },
  'GET /v1/contacts/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/contacts/${b.contact}` }] },
  'PATCH /v1/contacts/:id': { roles: 'marketing', tenant: (b) => [{ path: `/v1/contacts/${b.contact}`, body: { name: 'Renamed by another tenant' } }] },
  'PUT /v1/contacts/:id/consent/:channel': { roles: 'marketing', tenant: (b) => [{ path: `/v1/contacts/${b.contact}/consent/sms`, body: { status: 'opted_out' } }] },
  'POST /v1/contacts/import': { roles: 'marketing', tenant: own('imports into the caller’s tenant; rows are matched within it') },
  'DELETE /v1/contacts/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/contacts/${b.contact}` }] },
  'GET /v1/segments': { roles: 'viewer', tenant: 'list' },
  'POST /v1/segments': { roles: 'marketing', tenant: own('creates a segment in the caller’s tenant') },
  'POST /v1/segments/count': { roles: 'marketing', tenant: own('counts the caller’s own contacts') },
  'GET /v1/segments/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/segments/${b.segment}` }] },
  'PATCH /v1/segments/:id': { roles: 'marketing', tenant: (b) => [{ path: `/v1/segments/${b.segment}`, body: { name: 'Renamed by another tenant' } }] },
  'DELETE /v1/segments/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/segments/${b.segment}` }] },

  'GET /v1/calendars/staff/:staffId': { roles: 'admin', tenant: (b) => [{ path: `/v1/calendars/staff/${b.staff}` }] },
  // An internal address: the owner's call is refused by the outbound policy before any traffic.
  'PUT /v1/calendars/staff/:staffId/caldav': { roles: 'admin', tenant: (b) => [{ path: `/v1/calendars/staff/${b.staff}/caldav`, body: { url: 'https://10.0.0.1/dav/', username: 'planted', password: 'planted-pass' } }] },
  'POST /v1/calendars/staff/:staffId/caldav/test': { roles: 'admin', tenant: (b) => [{ path: `/v1/calendars/staff/${b.staff}/caldav/test` }] },
  'POST /v1/calendars/staff/:staffId/feed-token': { roles: 'admin', tenant: (b) => [{ path: `/v1/calendars/staff/${b.staff}/feed-token` }] },
  'DELETE /v1/calendars/staff/:staffId/caldav': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/calendars/staff/${b.staff}/caldav` }] },
  'GET /v1/calendars/feeds/:token.ics': { public: 'a staff member’s read-only calendar feed: the random token in the URL is its credential (calendar apps send no other)' },

  'GET /v1/users': { roles: 'admin', tenant: 'list' },
  'POST /v1/users': { roles: 'admin', tenant: own('creates a user in the caller’s tenant') },
  'PATCH /v1/users/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/users/${b.user}`, body: { role: 'admin' } }] },
  'DELETE /v1/users/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/users/${b.user}` }] },
  'GET /v1/webhooks/subscriptions': { roles: 'admin', tenant: 'list' },
  'POST /v1/webhooks/subscriptions': { roles: 'admin', tenant: own('creates a subscription in the caller’s tenant') },
  'GET /v1/webhooks/subscriptions/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/webhooks/subscriptions/${b.webhook}` }] },
  'PATCH /v1/webhooks/subscriptions/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/webhooks/subscriptions/${b.webhook}`, body: { url: 'https://evil.example/hook', rotateSecret: true } }] },
  'GET /v1/webhooks/deliveries': { roles: 'admin', tenant: 'list' },
  'GET /v1/webhooks/deliveries/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/webhooks/deliveries/${b.delivery}` }] },
  'POST /v1/webhooks/deliveries/:id/replay': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/webhooks/deliveries/${b.delivery}/replay` }] },
  'POST /v1/webhooks/deliveries/replay': { roles: 'admin', destroys: true, tenant: (b) => [{ path: '/v1/webhooks/deliveries/replay', body: { subscriptionId: b.webhook } }] },
  // Last: it takes the deliveries with it.
  'DELETE /v1/webhooks/subscriptions/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/webhooks/subscriptions/${b.webhook}` }] },
  'GET /v1/api-keys': { roles: 'admin', tenant: 'list' },
  'GET /v1/audit-log': { roles: 'admin', tenant: 'list' },
  'GET /v1/audit-log/export': { roles: 'admin', tenant: { none: 'a CSV of the caller’s own tenant’s entries (cross-tenant rows are checked in test/console-api/audit-log.test.ts)' } },
  'POST /v1/api-keys': { roles: 'admin', tenant: own('creates a key in the caller’s tenant') },
  'DELETE /v1/api-keys/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/api-keys/${b.apiKey}` }] },
  ...settings('llm'),
  ...settings('embeddings'),
  'PUT /v1/settings/embeddings/local': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  ...settings('reranker'),
  'GET /v1/settings/booking-page': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'PUT /v1/settings/booking-page': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  // The figures of the caller's tenant: test/booking-page/analytics.test.ts holds B's bookings out of A's.
  'GET /v1/appointments/analytics': { roles: 'viewer', tenant: own('aggregates of the caller’s own tenant: test/booking-page/analytics.test.ts checks B’s bookings are not counted') },
  // The figures of the caller's tenant: test/analytics/api.test.ts holds B's conversations out of A's figures and A's flows out of B's breakdown.
  'GET /v1/analytics/overview': { roles: 'viewer', tenant: own('aggregates of the caller’s own tenant: test/analytics/api.test.ts checks B’s conversations are not counted') },
  'GET /v1/analytics/overview.csv': { roles: 'viewer', tenant: own('the overview’s series as CSV, of the caller’s own tenant') },
  'GET /v1/analytics/breakdown': { roles: 'viewer', tenant: own('aggregates of the caller’s own tenant: test/analytics/api.test.ts checks B’s breakdown names only B’s flows') },
  'GET /v1/analytics/breakdown.csv': { roles: 'viewer', tenant: own('the breakdown as CSV, of the caller’s own tenant') },
  'GET /v1/settings/timezone': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'PUT /v1/settings/timezone': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'GET /book/:tenantSlug': booking,
  'GET /v1/public/booking/:tenantSlug': booking,
  'GET /v1/public/booking/:tenantSlug/slots': booking,
  'POST /v1/public/booking/:tenantSlug/appointments': booking,
  'GET /v1/public/booking/:tenantSlug/appointments/:id/ics': booking,
  'GET /l/:token': campaignLink,
  'GET /u/:token': campaignLink,
  'POST /u/:token': campaignLink,

  // Campaigns (api/routes/campaigns.ts): the actions that move B's draft run last, in this order.
  'GET /v1/campaigns': { roles: 'viewer', tenant: 'list' },
  'GET /v1/campaigns/approvals': { roles: 'viewer', tenant: 'list' },
  'POST /v1/campaigns': {
    roles: 'marketing',
    tenant: (b) => [
      { path: '/v1/campaigns', body: { name: 'Borrowed flow', channels: ['sms'], flowId: b.flow } },
      { path: '/v1/campaigns', body: { name: 'Borrowed channel', channels: ['sms'], channelIds: { sms: b.channel } } },
      { path: '/v1/campaigns', body: { name: 'Borrowed facts', channels: ['sms'], brief: { goal: 'Borrow', channels: ['sms'], knowledgeBaseId: b.knowledgeBase } } },
    ],
  },
  'GET /v1/campaigns/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}` }] },
  'PATCH /v1/campaigns/:id': { roles: 'marketing', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}`, body: { name: 'Renamed by another tenant' } }] },
  'GET /v1/campaigns/:id/progress': { roles: 'viewer', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/progress` }] },
  'GET /v1/campaigns/:id/preview': { roles: 'viewer', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/preview?variant=A` }] },
  'GET /v1/campaigns/:id/results': { roles: 'viewer', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/results` }] },
  'GET /v1/campaigns/:id/results.csv': { roles: 'viewer', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/results.csv` }] },
  'POST /v1/campaigns/:id/generate': { roles: 'marketing', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/generate`, body: {} }] },
  'POST /v1/campaigns/:id/rate': { roles: 'marketing', tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/rate`, body: { ratePerSecond: { sms: 2 } } }] },
  'POST /v1/campaigns/:id/submit': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/submit` }] },
  'POST /v1/campaigns/:id/request-changes': { roles: 'approver', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.queuedCampaign}/request-changes`, body: { comment: 'Changed by another tenant' } }] },
  'POST /v1/campaigns/:id/approve': { roles: 'approver', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/approve` }] },
  'POST /v1/campaigns/:id/pause': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/pause` }] },
  'POST /v1/campaigns/:id/resume': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/resume` }] },
  'POST /v1/campaigns/:id/cancel': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.campaign}/cancel` }] },
  'DELETE /v1/campaigns/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/campaigns/${b.queuedCampaign}` }] },

  ...catalog('/v1/locations', (b) => b.location, null),
  ...catalog('/v1/staff', (b) => b.staff, (b) => ({ locationId: b.location, name: 'Planted' })),
  ...catalog('/v1/resources', (b) => b.resource, (b) => ({ locationId: b.location, name: 'Planted' })),
  ...catalog('/v1/services', (b) => b.service, (b) => ({ locationId: b.location, name: 'Planted', durationMinutes: 30 })),
  'GET /v1/availability-exceptions': { roles: 'viewer', tenant: 'list' },
  'POST /v1/availability-exceptions': {
    roles: 'admin',
    tenant: (b) => [
      { path: '/v1/availability-exceptions', body: { locationId: b.location, date: '2027-02-01' } },
      { path: '/v1/availability-exceptions', body: { staffId: b.staff, date: '2027-02-01' } },
      { path: '/v1/availability-exceptions', body: { resourceId: b.resource, date: '2027-02-01' } },
    ],
  },
  'GET /v1/availability': { roles: 'viewer', tenant: (b) => [{ path: `/v1/availability?serviceId=${b.service}&from=2027-01-04T00:00:00Z&to=2027-01-05T00:00:00Z` }] },
  'GET /v1/appointments': { roles: 'viewer', tenant: 'list' },
  'GET /v1/appointments/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/appointments/${b.appointment}` }] },
  // Owners' deletes run last, in this order: those still referenced by the booking answer 409.
  'DELETE /v1/availability-exceptions/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/availability-exceptions/${b.exception}` }] },
  'DELETE /v1/services/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/services/${b.service}` }] },
  'DELETE /v1/staff/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/staff/${b.staff}` }] },
  'DELETE /v1/resources/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/resources/${b.resource}` }] },
  'DELETE /v1/locations/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/locations/${b.location}` }] },
  // Dashboards: a flow's drop-off names the flow (B's answers 404); campaigns are the caller's own (test/analytics/dashboards.test.ts).
  'GET /v1/analytics/flows/:flowId/nodes': { roles: 'viewer', tenant: (b) => [{ path: `/v1/analytics/flows/${b.flow}/nodes` }] },
  'GET /v1/analytics/flows/:flowId/nodes.csv': { roles: 'viewer', tenant: (b) => [{ path: `/v1/analytics/flows/${b.flow}/nodes.csv` }] },
  'GET /v1/analytics/campaigns': { roles: 'viewer', tenant: own('aggregates of the caller’s own tenant: test/analytics/dashboards.test.ts checks B’s campaigns are not listed') },
  'GET /v1/analytics/campaigns.csv': { roles: 'viewer', tenant: own('the campaigns dashboard as CSV, of the caller’s own tenant') },

  // Reports and alerts: admins only (alert rules show their webhook URL).
  'GET /v1/settings/reports': { roles: 'admin', tenant: own('the caller’s own tenant settings and its own schedule') },
  'PUT /v1/settings/reports': { roles: 'admin', tenant: (b) => [{ path: '/v1/settings/reports', body: { enabled: true, userIds: [b.user] } }] },
  'DELETE /v1/settings/reports': { roles: 'admin', tenant: own('the caller’s own tenant settings and its own schedule') },
  'POST /v1/settings/reports/send-now': { roles: 'admin', tenant: own('a report of the caller’s own tenant') },
  'GET /v1/alerts/rules': { roles: 'admin', tenant: 'list' },
  'POST /v1/alerts/rules': { roles: 'admin', tenant: (b) => [{ path: '/v1/alerts/rules', body: { name: 'Foreign flow', metric: 'spend', comparison: 'gt', threshold: 1, windowMinutes: 60, flowId: b.flow } }] },
  'GET /v1/alerts/rules/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/alerts/rules/${b.alertRule}` }] },
  'PATCH /v1/alerts/rules/:id': { roles: 'admin', tenant: (b) => [{ path: `/v1/alerts/rules/${b.alertRule}`, body: { webhookUrl: 'https://evil.example/hook', rotateSecret: true } }] },
  'DELETE /v1/alerts/rules/:id': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/alerts/rules/${b.alertRule}` }] },
  'GET /v1/alerts/events': { roles: 'admin', tenant: (b) => [{ path: `/v1/alerts/events?ruleId=${b.alertRule}` }] },
  // Retention and privacy.
  'GET /v1/settings/retention': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'PUT /v1/settings/retention': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'GET /v1/contacts/:id/export': { roles: 'admin', tenant: (b) => [{ path: `/v1/contacts/${b.contact}/export` }] },
  'POST /v1/contacts/:id/erase': { roles: 'admin', destroys: true, tenant: (b) => [{ path: `/v1/contacts/${b.erasableContact}/erase`, body: { confirm: 'ERASE' } }] },

  // The media store's objects (api/routes/media.ts): the signed expiring URL is the credential; test/media/route.test.ts refuses altered ones.
  'GET /media/*': { public: 'media store objects: the HMAC-signed expiring URL is the credential; an unsigned, altered or expired one is a 403' },

  // Quotas: the usage of the caller's own tenant (test/quotas/api.test.ts checks one tenant's 429s leave another's usage alone).
  'GET /v1/usage': { roles: 'viewer', tenant: own('the caller’s own tenant’s quotas and usage: test/quotas/api.test.ts checks B’s usage is not A’s') },
  // The platform operator's API: not a tenant's route at all; test/quotas/api.test.ts checks a tenant's admin key is refused (401).
  'GET /v1/operator/tenants/:tenantId/quotas': { public: 'the platform operator’s API: its own OPERATOR_TOKEN Bearer check (constant time; 404 when unset), no tenant credentials accepted' },
  'PUT /v1/operator/tenants/:tenantId/quotas': { public: 'the platform operator’s API: its own OPERATOR_TOKEN Bearer check (constant time; 404 when unset), no tenant credentials accepted' },
  'GET /v1/intents': { roles: 'viewer', tenant: 'list' },
  'POST /v1/intents': { roles: 'builder', tenant: own('creates an intent in the caller’s tenant') },
  'POST /v1/intents/import': { roles: 'builder', tenant: own('adds examples to the caller’s own intents (by name, created when missing)') },
  'POST /v1/intents/classify': { roles: 'viewer', tenant: own('classifies with the caller’s own intents: test/intents/api.test.ts checks another tenant’s are not used') },
  'GET /v1/intents/evaluation': { roles: 'viewer', tenant: own('cross-validates the caller’s own examples') },
  'GET /v1/intents/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/intents/${b.intent}` }] },
  'PUT /v1/intents/:id': { roles: 'builder', tenant: (b) => [{ path: `/v1/intents/${b.intent}`, body: { description: 'Changed by another tenant' } }] },
  'DELETE /v1/intents/:id': { roles: 'builder', destroys: true, tenant: (b) => [{ path: `/v1/intents/${b.intent}` }] },
  'GET /v1/analytics/labels': { roles: 'viewer', tenant: own('counts of the caller’s own labelled conversations: test/intents/api.test.ts checks B’s are not counted') },
  'GET /v1/analytics/labels.csv': { roles: 'viewer', tenant: own('the label counts as CSV, of the caller’s own tenant') },
  ...settings('elevenlabs'),
  ...settings('did'),
  'GET /v1/voices': { roles: 'viewer', tenant: 'list' },
  'GET /v1/voices/provider-voices': { roles: 'viewer', tenant: own('the voices of the caller’s own provider account') },
  'POST /v1/voices': { roles: 'video', tenant: own('creates a voice profile in the caller’s tenant') },
  'GET /v1/voices/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/voices/${b.voice}` }] },
  'PATCH /v1/voices/:id': { roles: 'video', tenant: (b) => [{ path: `/v1/voices/${b.voice}`, body: { name: 'Renamed by another tenant' } }] },
  'POST /v1/voices/:id/sample': { roles: 'video', tenant: (b) => [{ path: `/v1/voices/${b.voice}/sample`, body: {} }] },
  'GET /v1/avatars': { roles: 'viewer', tenant: 'list' },
  'POST /v1/avatars': { roles: 'video', tenant: (b) => [{ path: '/v1/avatars', body: { name: 'Borrowed voice', presenterId: 'amy-jcwCkr1grs', voiceProfileId: b.voice } }] },
  'GET /v1/avatars/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/avatars/${b.avatar}` }] },
  'PATCH /v1/avatars/:id': { roles: 'video', tenant: (b) => [{ path: `/v1/avatars/${b.avatar}`, body: { name: 'Renamed by another tenant' } }] },
  'GET /v1/videos': { roles: 'viewer', tenant: 'list' },
  'POST /v1/videos': { roles: 'video', tenant: (b) => [{ path: '/v1/videos', body: { script: { type: 'text', text: 'Hello' }, avatarId: b.avatar } }] },
  'POST /v1/videos/script': { roles: 'video', tenant: own('writes a script with the caller’s own model and brand voice') },
  'GET /v1/videos/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/videos/${b.video}` }] },
  'POST /v1/videos/:id/cancel': { roles: 'video', destroys: true, tenant: (b) => [{ path: `/v1/videos/${b.video}/cancel` }] },
  'POST /v1/webhooks/d-id/:token': { public: 'D-ID’s completion callback: the HMAC token in its URL is the credential, and it only wakes the render, which asks D-ID itself' },
  'DELETE /v1/avatars/:id': { roles: 'video', destroys: true, tenant: (b) => [{ path: `/v1/avatars/${b.avatar}` }] },
  'DELETE /v1/voices/:id': { roles: 'video', destroys: true, tenant: (b) => [{ path: `/v1/voices/${b.voice}` }] },
  // The marketing assistant (api/routes/assistant.ts): the caller's own conversation only (test/assistant/api.test.ts also tries another key's).
  'POST /v1/assistant/conversations': { roles: 'marketing', tenant: own('starts or continues the caller’s own assistant conversation in its own tenant') },
  'POST /v1/assistant/conversations/:id/messages': { roles: 'marketing', tenant: (b) => [{ path: `/v1/assistant/conversations/${b.assistantConversation}/messages`, body: { text: 'How many conversations last week?' } }] },
  'GET /v1/menu/items': { roles: 'viewer', tenant: 'list' },
  'POST /v1/menu/items': { roles: 'marketing', tenant: own('adds an item to the caller’s own menu') },
  'PATCH /v1/menu/items/:id': { roles: 'marketing', tenant: (b) => [{ path: `/v1/menu/items/${b.menuItem}`, body: { name: 'Renamed by another tenant' } }] },
  'POST /v1/menu/import': { roles: 'marketing', tenant: own('imports into the caller’s own menu: items are known by key within the tenant, and sales rows join only the caller’s items (test/menu/store.test.ts)') },
  'GET /v1/menu/matrix': { roles: 'viewer', tenant: 'list' },
  'GET /v1/menu/trends': { roles: 'viewer', tenant: 'list' },
  'GET /v1/menu/recommendations': { roles: 'viewer', tenant: 'list' },
  'GET /v1/menu/weekdays': { roles: 'viewer', tenant: (b) => [{ path: `/v1/menu/weekdays?itemId=${b.menuItem}` }] },
  'GET /v1/menu/forecast': { roles: 'viewer', tenant: (b) => [{ path: `/v1/menu/forecast?itemId=${b.menuItem}` }] },
  'GET /v1/menu/square': { roles: 'viewer', tenant: own('the caller’s own Square connection (never the token)') },
  'PUT /v1/menu/square': { roles: 'admin', tenant: own('connects the caller’s own tenant') },
  'POST /v1/menu/square/sync': { roles: 'marketing', tenant: own('syncs the caller’s own connection into the caller’s own menu') },
  'GET /v1/menu/promotions': { roles: 'viewer', tenant: 'list' },
  'POST /v1/menu/promotions/generate': { roles: 'marketing', tenant: own('proposes from the caller’s own matrix and writes with the caller’s own model and voice') },
  'POST /v1/menu/promotions/:id/dismiss': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/menu/promotions/${b.promotion}/dismiss` }] },
  'POST /v1/menu/promotions/:id/accept': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/menu/promotions/${b.promotion}/accept`, body: { channels: ['sms'] } }] },
  'DELETE /v1/menu/items/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/menu/items/${b.menuItem}` }] },
  'DELETE /v1/menu/square': { roles: 'admin', destroys: true, tenant: own('disconnects the caller’s own tenant') },
  'POST /v1/presence/audits': { roles: 'marketing', tenant: (b) => [{ path: '/v1/presence/audits', body: { url: 'https://example.com', brandVoiceId: b.brandVoice } }] },
  'GET /v1/presence/audits': { roles: 'viewer', tenant: 'list' },
  'GET /v1/presence/audits/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}` }] },
  'GET /v1/presence/audits/:id/progress': { roles: 'viewer', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}/progress` }] },
  'POST /v1/presence/audits/:id/share-links': { roles: 'marketing', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}/share-links` }] },
  'GET /v1/presence/audits/:id/share-links': { roles: 'viewer', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}/share-links` }] },
  'DELETE /v1/presence/share-links/:id': { roles: 'marketing', destroys: true, tenant: (b) => [{ path: `/v1/presence/share-links/${b.presenceShareLink}` }] },
  'GET /v1/presence/audits/:id/pdf': { roles: 'viewer', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}/pdf` }] },
  'GET /v1/presence/audits/:id/changes': { roles: 'viewer', tenant: (b) => [{ path: `/v1/presence/audits/${b.presenceAudit}/changes` }] },
  'GET /presence/share/:token': sharedReport,
  'GET /presence/share/:token/pdf': sharedReport,
  'GET /v1/settings/presence-schedule': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'PUT /v1/settings/presence-schedule': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'DELETE /v1/settings/presence-schedule': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'GET /v1/settings/public-grader': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  'PUT /v1/settings/public-grader': { roles: 'admin', tenant: own('the caller’s own tenant settings') },
  ...settings('google-places'),
  ...settings('yelp'),
  ...settings('facebook-graph'),
  'GET /grader/:tenantSlug': grader,
  'POST /v1/public/grader/:tenantSlug/audits': grader,
  'GET /v1/public/grader/:tenantSlug/leads/:id': grader,
  'POST /v1/webhooks/voice/:channelId': webhook,
  'POST /v1/webhooks/voice/:channelId/:kind': webhook,
  // B's own call stops at its `from` (not one of the channel's numbers, a 400): no call is placed.
  'POST /v1/calls': { roles: 'member', tenant: (b) => [{ path: '/v1/calls', body: { channelId: b.voiceChannel, to: '+14155550123', from: '+14155559999' } }] },
  'GET /v1/calls': { roles: 'viewer', tenant: 'list' },
  'GET /v1/calls/:id': { roles: 'viewer', tenant: (b) => [{ path: `/v1/calls/${b.call}` }] },
  // Opening hours: a tenant's own setting; test/voice-nodes/opening-hours.test.ts checks B's hours never answer or change A's.
  'GET /v1/settings/opening-hours': { roles: 'admin', tenant: own('the caller’s own tenant settings: test/voice-nodes/opening-hours.test.ts checks tenants do not see each other’s hours') },
  'PUT /v1/settings/opening-hours': { roles: 'admin', tenant: own('the caller’s own tenant settings: test/voice-nodes/opening-hours.test.ts checks tenants do not see each other’s hours') },
  'POST /v1/webhooks/voice-whisper/:token': { public: 'Twilio fetches a warm transfer’s whisper TwiML: the HMAC token in the URL is the credential and holds the text; no tenant data is read' },
  'GET /v1/webhooks/voice-whisper/:token': { public: 'Twilio fetches a warm transfer’s whisper TwiML (GET when the TwiML asks for it): the HMAC token is the credential' },
  'POST /v1/calls/:id/take-over': { roles: 'agent', tenant: (b) => [{ path: `/v1/calls/${b.call}/take-over`, body: { phone: '+14155550177' } }] },
};

/** The entry for a registered route: HEAD routes share their GET entry unless they have their own. */
export function caseFor(method: string, url: string): RouteCase | undefined {
  return ROUTE_CASES[`${method} ${url}`] ?? (method === 'HEAD' ? ROUTE_CASES[`GET ${url}`] : undefined);
}
