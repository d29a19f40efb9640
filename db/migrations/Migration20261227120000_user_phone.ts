import { Migration } from '@mikro-orm/migrations';

/**
 * A console user's phone (E.164): where a phone call goes when the user takes it over from the
 * inbox, and which agents ring when a flow's transfer node sends a call to the human agents.
 */
export class Migration20261227120000_user_phone extends Migration {
  override name = 'Migration20261227120000_user_phone';

  override up(): void {
    this.addSql(`alter table "users" add column if not exists "phone" varchar(20) null;`);
  }

  override down(): void {
    this.addSql(`alter table "users" drop column if exists "phone";`);
  }
}
