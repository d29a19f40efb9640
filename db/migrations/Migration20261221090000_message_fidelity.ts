import { Migration } from '@mikro-orm/migrations';

/**
 * Inbound `amend` events (reactions, edits and deletions of a message already stored) and the
 * index they find their message by: a contact's message has the provider id but no channel id
 * (the conversation names the channel), so the (channel, external id) index does not serve it.
 */
export class Migration20261221090000_message_fidelity extends Migration {
  override name = 'Migration20261221090000_message_fidelity';

  override up(): void {
    this.addSql(`alter table "inbound_messages" drop constraint "inbound_messages_kind_check";`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_kind_check" check ("kind" in ('message', 'status', 'amend'));`);
    this.addSql(`create index "messages_external_id_index" on "messages" ("external_id") where "external_id" is not null;`);
  }

  override down(): void {
    this.addSql(`drop index if exists "messages_external_id_index";`);
    this.addSql(`delete from "inbound_messages" where "kind" = 'amend';`);
    this.addSql(`alter table "inbound_messages" drop constraint "inbound_messages_kind_check";`);
    this.addSql(`alter table "inbound_messages" add constraint "inbound_messages_kind_check" check ("kind" in ('message', 'status'));`);
  }
}
