/** Migrations run in this order; listed explicitly so they load the same under tsx, vitest and bundlers. */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123112858_initial } from './Migration20261123112858_initial';
import { Migration20261201090000_knowledge } from './Migration20261201090000_knowledge';
import { Migration20261205090000_chunk_vector_storage } from './Migration20261205090000_chunk_vector_storage';
import { Migration20261210100000_console } from './Migration20261210100000_console';
import { Migration20261210110000_channels } from './Migration20261210110000_channels';
import { Migration20261215090000_chunk_embedder } from './Migration20261215090000_chunk_embedder';
import { Migration20261220090000_bm25 } from './Migration20261220090000_bm25';
import { Migration20261221090000_message_fidelity } from './Migration20261221090000_message_fidelity';
import { Migration20261222090000_document_imports } from './Migration20261222090000_document_imports';
import { Migration20261222090000_webhooks } from './Migration20261222090000_webhooks';
import { Migration20261222100000_bm25_kb_delete } from './Migration20261222100000_bm25_kb_delete';
import { Migration20261222110000_api_key_scopes } from './Migration20261222110000_api_key_scopes';
import { Migration20261223080000_audit_log } from './Migration20261223080000_audit_log';
import { Migration20261223090000_scheduling } from './Migration20261223090000_scheduling';
import { Migration20261224090000_marketing_roles } from './Migration20261224090000_marketing_roles';
import { Migration20261224100000_audiences } from './Migration20261224100000_audiences';
import { Migration20261224110000_content } from './Migration20261224110000_content';
import { Migration20261224120000_campaigns } from './Migration20261224120000_campaigns';
import { Migration20261224140000_analytics } from './Migration20261224140000_analytics';
import { Migration20261225090000_webhook_chain_seq } from './Migration20261225090000_webhook_chain_seq';
import { Migration20261226160000_video_renders } from './Migration20261226160000_video_renders';

export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123112858_initial', class: Migration20261123112858_initial },
  { name: 'Migration20261201090000_knowledge', class: Migration20261201090000_knowledge },
  { name: 'Migration20261205090000_chunk_vector_storage', class: Migration20261205090000_chunk_vector_storage },
  { name: 'Migration20261210100000_console', class: Migration20261210100000_console },
  { name: 'Migration20261210110000_channels', class: Migration20261210110000_channels },
  { name: 'Migration20261215090000_chunk_embedder', class: Migration20261215090000_chunk_embedder },
  { name: 'Migration20261220090000_bm25', class: Migration20261220090000_bm25 },
  { name: 'Migration20261221090000_message_fidelity', class: Migration20261221090000_message_fidelity },
  { name: 'Migration20261222090000_document_imports', class: Migration20261222090000_document_imports },
  { name: 'Migration20261222090000_webhooks', class: Migration20261222090000_webhooks },
  { name: 'Migration20261222100000_bm25_kb_delete', class: Migration20261222100000_bm25_kb_delete },
  { name: 'Migration20261222110000_api_key_scopes', class: Migration20261222110000_api_key_scopes },
  { name: 'Migration20261223080000_audit_log', class: Migration20261223080000_audit_log },
  { name: 'Migration20261223090000_scheduling', class: Migration20261223090000_scheduling },
  { name: 'Migration20261224090000_marketing_roles', class: Migration20261224090000_marketing_roles },
  { name: 'Migration20261224100000_audiences', class: Migration20261224100000_audiences },
  { name: 'Migration20261224110000_content', class: Migration20261224110000_content },
  { name: 'Migration20261224120000_campaigns', class: Migration20261224120000_campaigns },
  { name: 'Migration20261224140000_analytics', class: Migration20261224140000_analytics },
  { name: 'Migration20261225090000_webhook_chain_seq', class: Migration20261225090000_webhook_chain_seq },
  { name: 'Migration20261226160000_video_renders', class: Migration20261226160000_video_renders },
];
