/**
 * Key rotation: re-encrypts every secret at rest under the current key — channel credentials and
 * every `…Encrypted` string in tenant settings (LLM, embedding, reranker keys). Idempotent; values
 * already under the current version are left alone, so it can be re-run after an interruption.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { secretVersion, type SecretBox } from './secrets';

export interface RekeyResult {
  channels: number;
  tenantSecrets: number;
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
  let channels = 0;
  const rows = await conn.execute<{ id: string; credentials_encrypted: string }[]>(`select id, credentials_encrypted from channels where credentials_encrypted is not null`);
  for (const row of rows) {
    if (secretVersion(row.credentials_encrypted) === currentVersion) continue;
    await conn.execute(`update channels set credentials_encrypted = ? where id = ? and credentials_encrypted = ?`, [box.encrypt(box.decrypt(row.credentials_encrypted)), row.id, row.credentials_encrypted]);
    channels++;
  }
  const count = { n: 0 };
  const tenants = await conn.execute<{ id: string; settings: Record<string, unknown> }[]>(`select id, settings from tenants`);
  for (const tenant of tenants) {
    const before = count.n;
    const settings = reencryptTree(tenant.settings, box, currentVersion, count);
    if (count.n > before) await conn.execute(`update tenants set settings = ?::jsonb where id = ?`, [JSON.stringify(settings), tenant.id]);
  }
  return { channels, tenantSecrets: count.n };
}
