/**
 * Key rotation: re-encrypts every secret at rest under the current key — channel credentials,
 * webhook signing secrets, point-of-sale tokens and every `…Encrypted` string in tenant settings (LLM, embedding, reranker keys). Idempotent; values
 * already under the current version are left alone, so it can be re-run after an interruption.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { secretVersion, type SecretBox } from './secrets';

export interface RekeyResult {
  channels: number;
  webhookSecrets: number;
  tenantSecrets: number;
  /** Point-of-sale access tokens (menu_pos_connections). */
  posTokens: number;
}

/** Re-encrypts one encrypted column of a table, row by row (a row changed meanwhile is left to the next run). */
async function rekeyColumn(conn: ReturnType<EntityManager['getConnection']>, box: SecretBox, current: string, table: string, column: string): Promise<number> {
  let n = 0;
  const rows = await conn.execute<{ id: string; value: string }[]>(`select id, ${column} as value from ${table} where ${column} is not null`);
  for (const row of rows) {
    if (secretVersion(row.value) === current) continue;
    await conn.execute(`update ${table} set ${column} = ? where id = ? and ${column} = ?`, [box.encrypt(box.decrypt(row.value)), row.id, row.value]);
    n++;
  }
  return n;
}

function reencryptTree(value: unknown, box: SecretBox, current: string, count: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => reencryptTree(v, box, current, count));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k.endsWith('Encrypted') && typeof v === 'string' && secretVersion(v) !== current) {
        count.n++;
        return [k, box.encrypt(box.decrypt(v))];
      }
      return [k, reencryptTree(v, box, current, count)];
    }),
  );
}

export async function rekeySecrets(em: EntityManager, box: SecretBox, currentVersion: string): Promise<RekeyResult> {
  const conn = em.getConnection();
  const channels = await rekeyColumn(conn, box, currentVersion, 'channels', 'credentials_encrypted');
  const webhookSecrets = await rekeyColumn(conn, box, currentVersion, 'webhook_subscriptions', 'secret_encrypted');
  const posTokens = await rekeyColumn(conn, box, currentVersion, 'menu_pos_connections', 'access_token_encrypted');
  const count = { n: 0 };
  const tenants = await conn.execute<{ id: string; settings: Record<string, unknown> }[]>(`select id, settings from tenants`);
  for (const tenant of tenants) {
    const before = count.n;
    const settings = reencryptTree(tenant.settings, box, currentVersion, count);
    if (count.n > before) await conn.execute(`update tenants set settings = ?::jsonb where id = ?`, [JSON.stringify(settings), tenant.id]);
  }
  return { channels, webhookSecrets, tenantSecrets: count.n, posTokens };
}
