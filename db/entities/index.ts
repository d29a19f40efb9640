import { ApiKey } from './api-key';
import { Contact } from './contact';
import { Conversation } from './conversation';
import { Event } from './event';
import { Flow } from './flow';
import { FlowVersion } from './flow-version';
import { LlmCall } from './llm-call';
import { Message } from './message';
import { Tenant } from './tenant';

export { ApiKey, Contact, Conversation, Event, Flow, FlowVersion, LlmCall, Message, Tenant };
export { CONVERSATION_STATUSES } from './conversation';
export type { LlmPricing, LlmProviderSettings, TenantSettings } from './tenant';

/** Every entity with a `tenant` column: the `tenant` filter (db/orm.ts) covers exactly these. */
export const TENANT_SCOPED_ENTITIES = [ApiKey, Flow, FlowVersion, Contact, Conversation, Message, LlmCall, Event];
export const ALL_ENTITIES = [Tenant, ...TENANT_SCOPED_ENTITIES];
