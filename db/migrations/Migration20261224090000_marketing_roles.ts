import { Migration } from '@mikro-orm/migrations';

/** Two console roles for marketing: `marketer` writes contacts and campaigns, `approver` also approves them. */
export class Migration20261224090000_marketing_roles extends Migration {
  override name = 'Migration20261224090000_marketing_roles';

  override up(): void {
    this.addSql(`alter table "users" drop constraint "users_role_check";`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'builder', 'agent', 'viewer', 'marketer', 'approver'));`);
  }

  override down(): void {
    this.addSql(`alter table "users" drop constraint "users_role_check";`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'builder', 'agent', 'viewer'));`);
  }
}
