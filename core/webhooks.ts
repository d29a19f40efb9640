/**
 * Outbound webhooks: the closed list of event types a tenant may subscribe to, and the header
 * names of a delivery. Declared once; the API validates subscriptions against it, the console
 * offers it, the delivery worker fans events out by it.
 */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.started',
  'message.received',
  'message.sent',
  'handoff.requested',
  'conversation.closed',
  'run.completed',
  'run.failed',
  'document.ready',
  'campaign.submitted',
  'campaign.approved',
  'campaign.changes_requested',
  'campaign.scheduled',
  'campaign.sending',
  'campaign.paused',
  'campaign.resumed',
  'campaign.completed',
  'campaign.cancelled',
  'campaign.failed',
  'csat.submitted',
  'alert.triggered',
  'alert.resolved',
  'contact.erased',
  'quota.warning',
  'quota.exceeded',
  'conversation.labelled',
  'video.completed',
  'video.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes to every type in the list, including types added later. */
export const WEBHOOK_WILDCARD = '*';

export const isWebhookEventType = (type: string): type is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** Whether a subscription's list selects an event type (platform events outside the list never go out). */
export const subscriptionSelects = (eventTypes: readonly string[], type: string) => isWebhookEventType(type) && (eventTypes.includes(WEBHOOK_WILDCARD) || eventTypes.includes(type));

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WEBHOOK_HEADERS = {
  signature: 'Switchboard-Signature',
  deliveryId: 'Switchboard-Delivery-Id',
  eventType: 'Switchboard-Event-Type',
} as const;

/** What a receiver gets as the POST body. `id` is the event's id; the delivery id is a header. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  tenantId: string;
  data: Record<string, unknown>;
}
