import { Migration } from '@mikro-orm/migrations';

/**
 * Intents and their labelled examples per tenant (what the offline classifier trains on), and one
 * row of labels per conversation (intent, sentiment, who labelled it), deleted with the
 * conversation. `input_key` is what was labelled (last contact message + closed), so a retried or
 * repeated labelling job changes nothing and emits no second `conversation.labelled`.
 */
export class Migration20261226100000_intents extends Migration {
  override name = 'Migration20261226100000_intents';

  override up(): void {
    this.addSql(`create table "intents" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" varchar(100) not null, "description" text not null default '', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "intents" add constraint "intents_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(`alter table "intents" add constraint "intents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`create table "intent_examples" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "intent_id" uuid not null, "text" text not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "intent_examples" add constraint "intent_examples_intent_id_text_unique" unique ("intent_id", "text");`);
    this.addSql(`create index "intent_examples_tenant_id_index" on "intent_examples" ("tenant_id");`);
    this.addSql(`alter table "intent_examples" add constraint "intent_examples_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "intent_examples" add constraint "intent_examples_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on delete cascade;`);
    this.addSql(`create table "conversation_labels" ("conversation_id" uuid not null, "tenant_id" uuid not null, "intent" varchar(100) null, "intent_confidence" real null, "sentiment" varchar(16) not null, "sentiment_score" real not null, "labelled_by" varchar(16) not null, "input_key" varchar(200) not null, "labelled_at" timestamptz not null default now(), primary key ("conversation_id"));`);
    this.addSql(`create index "conversation_labels_tenant_id_labelled_at_index" on "conversation_labels" ("tenant_id", "labelled_at");`);
    this.addSql(`alter table "conversation_labels" add constraint "conversation_labels_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "conversation_labels" add constraint "conversation_labels_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "conversation_labels";`);
    this.addSql(`drop table if exists "intent_examples";`);
    this.addSql(`drop table if exists "intents";`);
  }
}
