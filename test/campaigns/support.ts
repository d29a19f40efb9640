/** A campaign test bench: the channel bench (real API, worker, Temporal, PostgreSQL) with contacts and campaigns made directly. */
import { CAMPAIGN_STATUSES, type CampaignChannel, type CampaignVariant } from '../../core/campaigns';
import { Campaign, Contact } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { optIn, optOut } from '../../db/repos/audience';
import { CampaignClient } from '../../temporal/campaigns';
import { randomBytes } from 'node:crypto';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { waitUntil } from '../support/wait';

export interface TestContact {
  firstName?: string;
  phone?: string | null;
  email?: string | null;
  messengerPsid?: string | null;
  timezone?: string;
  tags?: string[];
  consent?: Partial<Record<CampaignChannel, 'in' | 'out'>>;
}

export async function makeContacts(bench: ChannelBench, contacts: TestContact[]): Promise<string[]> {
  const em = tenantEm(bench.stack.orm, bench.tenantId);
  const rows = contacts.map((c, i) =>
    em.create(Contact, { tenant: bench.tenantId, channel: 'api', externalId: `c-${Date.now()}-${i}-${Math.random()}`, firstName: c.firstName ?? null, phone: c.phone ?? null, email: c.email ?? null, messengerPsid: c.messengerPsid ?? null, timezone: c.timezone ?? null, tags: c.tags ?? [] } as Contact),
  );
  await em.flush();
  for (const [i, c] of contacts.entries()) {
    for (const [channel, status] of Object.entries(c.consent ?? {}) as [CampaignChannel, 'in' | 'out'][]) {
      await (status === 'in' ? optIn : optOut)(em, rows[i]!.id as string, channel, { method: 'import' });
    }
  }
  return rows.map((r) => r.id as string);
}

export async function makeCampaign(bench: ChannelBench, c: Partial<Campaign> & { variants: CampaignVariant[]; channels: CampaignChannel[] }): Promise<string> {
  const em = tenantEm(bench.stack.orm, bench.tenantId);
  const row = em.create(Campaign, { tenant: bench.tenantId, name: 'Tasting menu', ...c } as Campaign);
  await em.flush();
  return row.id as string;
}

export const campaignsOf = (bench: ChannelBench) => new CampaignClient(bench.stack.temporal, bench.stack.config.TEMPORAL_TASK_QUEUE);

/** Starts, submits and approves; returns the client. */
export async function launch(bench: ChannelBench, campaignId: string): Promise<CampaignClient> {
  const client = campaignsOf(bench);
  await client.startCampaign(bench.tenantId, campaignId);
  await client.campaignUpdate(bench.tenantId, campaignId, 'submit', { by: 'marketer' });
  await client.campaignUpdate(bench.tenantId, campaignId, 'approve', { by: 'approver', role: 'approver' });
  return client;
}

export async function waitForStatus(bench: ChannelBench, campaignId: string, status: (typeof CAMPAIGN_STATUSES)[number], ms = 30_000) {
  const client = campaignsOf(bench);
  await waitUntil(async () => (await client.campaignProgress(bench.tenantId, campaignId))?.status === status, ms, `campaign ${status}`);
  return (await client.campaignProgress(bench.tenantId, campaignId))!;
}

export const recipients = (bench: ChannelBench, campaignId: string) =>
  bench.rows<{ contact_id: string; status: string; skip_reason: string | null; address: string | null; message_id: string | null; conversation_id: string | null; replied_at: Date | null; clicked_at: Date | null; send_after: Date | null }>(
    `select contact_id, status, skip_reason, address, message_id, conversation_id, replied_at, clicked_at, send_after from campaign_recipients where campaign_id = $1`,
    [campaignId],
  );

export const smsVariant = (text: string): CampaignVariant => ({ id: 'A', content: { sms: { text } }, generatedBy: 'template-writer', warnings: [] });

/** The audience: contacts with this tag (each test tags its own). */
export const tagged = (tag: string) => ({ match: 'all' as const, conditions: [{ field: 'tag' as const, op: 'has' as const, value: tag }] });

export interface SmsCampaignBench {
  bench: ChannelBench;
  twilio: FakeTwilio;
  channel: { id: string; webhookUrl: string };
  token: string;
  from: string;
  close(): Promise<void>;
}

/** The channel bench with an SMS channel on the fake Twilio (answering with the greeter flow). */
export async function startSmsCampaignBench(env: Record<string, string> = {}): Promise<SmsCampaignBench> {
  const account = `AC${randomBytes(16).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  const from = '+15005550006';
  const twilio = await startFakeTwilio({ accounts: { [account]: token } });
  const bench = await startChannelBench(env);
  const channel = await bench.channel('sms', { credentials: { accountSid: account, authToken: token }, settings: { fromNumber: from, apiBaseUrl: twilio.url } });
  return {
    bench, twilio, channel, token, from,
    async close() {
      await bench.close();
      await twilio.close();
    },
  };
}
