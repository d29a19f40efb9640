/** A tenant's voice objects for the security sweeps: a voice channel and a finished call row. */
import { randomBytes } from 'node:crypto';
import type { Stack } from '../support/stack';

export async function voiceObjects(stack: Stack, tenant: { apiKey: string; tenantId: string }) {
  const channel = await stack.request('POST', '/v1/channels', {
    apiKey: tenant.apiKey,
    body: { type: 'voice', name: 'Sweep line', credentials: { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') }, settings: { numbers: ['+14155550100'] } },
  });
  if (channel.status !== 201) throw new Error(`POST /v1/channels → ${channel.status} ${JSON.stringify(channel.body)}`);
  // A call written directly: the sweeps need its id, not a phone call.
  const [row] = await stack.orm.em
    .getConnection()
    .execute<{ id: string }[]>(
      `insert into calls (tenant_id, channel_id, call_sid, direction, from_number, to_number, status, duration_seconds, ended_at) values (?, ?, ?, 'inbound', '+14155550111', '+14155550100', 'completed', 12, now()) returning id`,
      [tenant.tenantId, channel.body.id, `CA${randomBytes(16).toString('hex')}`],
    );
  return { voiceChannel: channel.body.id as string, call: row.id };
}
