/**
 * The flow drop-off and campaign dashboards' day (2026-03-10, UTC), written straight into
 * PostgreSQL, and the figures it must give, computed by hand (`DROP_OFF_V1`, `CAMPAIGN_FUNNELS`).
 */
import { randomUUID } from 'node:crypto';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { createFlow, publishFlowVersion } from '../../db/repos';
import { flow } from '../workflows/support/flows';
import { addConversation, addEvent, at } from './fixtures';

/** start → email (ask) → thanks → human (handoff); the ask's timeout → nudge → end. */
export const GRAPH = flow(
  [
    { id: 'start', type: 'start' },
    { id: 'email', type: 'ask', data: { prompt: 'Your e-mail?', variable: 'email', timeoutSeconds: 120 } },
    { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks!' } },
    { id: 'human', type: 'handoff', data: { message: 'A colleague will answer.' } },
    { id: 'nudge', type: 'sendMessage', data: { text: 'Still there?' } },
    { id: 'end', type: 'end' },
  ],
  [['start', 'email'], ['email', 'thanks'], ['thanks', 'human'], ['email', 'nudge', 'timeout'], ['nudge', 'end']],
);

type Exec = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Flow "Onboarding", versions 1 and 2 (the same graph):
 * - K1 webchat v1, closed 10:30 by the idle timer at End after the ask timed out (bot).
 * - K2 webchat v1, handed off at `human`, closed 10:50 with a human; a failed turn at `thanks` at 11:20.
 * - K3 whatsapp v1, idled out at the question `email` 11:15 (bot).
 * - K4 webchat v1, a handoff keyword at `email`, closed 11:40 with a human.
 * - K5 webchat v1, a close stored before closes carried their path (11:50): not counted.
 * - K6 webchat v2, idled out at `email` 12:10.
 * - T1, a "Try it" conversation closed at `end`: not counted.
 */
export async function writeDropOffDay(orm: Orm, tenantId: string) {
  const em = tenantEm(orm, tenantId);
  const onboarding = await createFlow(em, tenantId, { name: 'Onboarding', draft: GRAPH });
  await publishFlowVersion(em, onboarding.id, GRAPH);
  await publishFlowVersion(em, onboarding.id, GRAPH);
  const exec: Exec = (sql, params) => systemEm(orm).getConnection().execute(sql, params, 'run');
  const conversation = async (channel: string, version: number, isTest = false) => {
    const id = await addConversation(exec, { tenantId, flowId: onboarding.id, channel, createdAt: at('10:00:00'), isTest });
    if (version !== 1) await exec(`update conversations set flow_version = ? where id = ?`, [version, id]);
    return id;
  };
  const close = (conversationId: string, time: string, data: Record<string, unknown>) =>
    addEvent(exec, { tenantId, type: 'conversation.closed', at: at(time), data: { conversationId, reason: 'idle', handoffNodeId: null, ...data } });

  const k1 = await conversation('webchat', 1);
  await close(k1, '10:30:00', { nodeId: 'end', statusBefore: 'bot', visitedNodeIds: ['start', 'email', 'nudge', 'end'], followedEdgeIds: ['start-next', 'email-timeout', 'nudge-next'] });
  const k2 = await conversation('webchat', 1);
  await addEvent(exec, { tenantId, type: 'handoff.requested', at: at('10:45:00'), data: { conversationId: k2, nodeId: 'human', reason: null } });
  await close(k2, '10:50:00', {
    nodeId: 'human',
    statusBefore: 'human',
    handoffNodeId: 'human',
    visitedNodeIds: ['start', 'email', 'thanks', 'human'],
    followedEdgeIds: ['start-next', 'email-next', 'thanks-next'],
  });
  await addEvent(exec, { tenantId, type: 'flow.failed', at: at('11:20:00'), data: { conversationId: k2, nodeId: 'thanks', error: 'boom' } });
  await addEvent(exec, { tenantId, type: 'flow.failed', at: at('11:21:00'), data: { conversationId: k2, nodeId: '@inbound', error: 'boom' } });
  const k3 = await conversation('whatsapp', 1);
  await close(k3, '11:15:00', { nodeId: 'email', statusBefore: 'bot', visitedNodeIds: ['start', 'email'], followedEdgeIds: ['start-next'] });
  const k4 = await conversation('webchat', 1);
  await close(k4, '11:40:00', { nodeId: 'email', statusBefore: 'waiting', handoffNodeId: 'email', visitedNodeIds: ['start', 'email'], followedEdgeIds: ['start-next'] });
  const k5 = await conversation('webchat', 1);
  await addEvent(exec, { tenantId, type: 'conversation.closed', at: at('11:50:00'), data: { conversationId: k5, reason: 'idle' } });
  const k6 = await conversation('webchat', 2);
  await close(k6, '12:10:00', { nodeId: 'email', statusBefore: 'bot', visitedNodeIds: ['start', 'email'], followedEdgeIds: ['start-next'] });
  const t1 = await conversation('webchat', 1, true);
  await close(t1, '10:20:00', { nodeId: 'end', statusBefore: 'bot', visitedNodeIds: ['start', 'email', 'nudge', 'end'], followedEdgeIds: ['start-next'] });
  return { flowId: onboarding.id };
}

const node = (nodeId: string, type: string, reached: number, ended = 0, handedOff = 0, failed = 0) => ({
  nodeId,
  type,
  reached,
  ended,
  handedOff,
  failed,
  dropOffRate: reached ? Math.round(((ended + handedOff) / reached) * 10_000) / 10_000 : null,
});

/** Version 1, every channel, by hand: most reached first, then graph order. */
export const DROP_OFF_V1 = [
  node('start', 'start', 4),
  // K3 idled out at the question, K4 asked for a human there.
  node('email', 'ask', 4, 1, 1),
  node('thanks', 'sendMessage', 1, 0, 0, 1),
  node('human', 'handoff', 1, 0, 1),
  node('nudge', 'sendMessage', 1),
  node('end', 'end', 1, 1),
];
export const EDGES_V1 = [
  { edgeId: 'start-next', followed: 4 },
  { edgeId: 'email-next', followed: 1 },
  { edgeId: 'email-timeout', followed: 1 },
  { edgeId: 'nudge-next', followed: 1 },
  { edgeId: 'thanks-next', followed: 1 },
];

/** The node rollup rows, by hand: hour, channel, version, node → [reached, ended, handed_off, failed]. */
export const NODE_ROWS = [
  ['10:00', 'webchat', 1, 'email', 2, 0, 0, 0],
  ['10:00', 'webchat', 1, 'end', 1, 1, 0, 0],
  ['10:00', 'webchat', 1, 'human', 1, 0, 1, 0],
  ['10:00', 'webchat', 1, 'nudge', 1, 0, 0, 0],
  ['10:00', 'webchat', 1, 'start', 2, 0, 0, 0],
  ['10:00', 'webchat', 1, 'thanks', 1, 0, 0, 0],
  ['11:00', 'webchat', 1, 'email', 1, 0, 1, 0],
  ['11:00', 'webchat', 1, 'start', 1, 0, 0, 0],
  ['11:00', 'webchat', 1, 'thanks', 0, 0, 0, 1],
  ['11:00', 'whatsapp', 1, 'email', 1, 1, 0, 0],
  ['11:00', 'whatsapp', 1, 'start', 1, 0, 0, 0],
  ['12:00', 'webchat', 2, 'email', 1, 1, 0, 0],
  ['12:00', 'webchat', 2, 'start', 1, 0, 0, 0],
];

/**
 * Campaign "Spring sale" (sms + email) started 09:00 with four recipients: R1 sent 09:00,
 * delivered 09:01, read 09:05, clicked 09:10, replied 10:00; R2 sent, delivered; R3 failed 09:02
 * (its send at 09:00); R4 sent 09:00 on email, opted out the next day (2026-03-11 08:00).
 * "Autumn" started the day before: outside the range. "Later" is scheduled for 2026-03-10 18:00.
 */
export async function writeCampaignDay(orm: Orm, tenantId: string) {
  const exec: Exec = (sql, params) => systemEm(orm).getConnection().execute(sql, params, 'run');
  const campaign = async (name: string, status: string, startedAt: Date | null, sendAt: Date | null) => {
    const id = randomUUID();
    await exec(`insert into campaigns (id, tenant_id, name, status, channels, started_at, send_at) values (?, ?, ?, ?, '{sms,email}', ?, ?)`, [id, tenantId, name, status, startedAt, sendAt]);
    return id;
  };
  const spring = await campaign('Spring sale', 'completed', at('09:00:00'), null);
  const autumn = await campaign('Autumn', 'completed', new Date('2026-03-09T09:00:00Z'), null);
  const later = await campaign('Later', 'scheduled', null, at('18:00:00'));
  const recipient = async (campaignId: string, channel: string, status: string, stamps: Record<string, Date>) => {
    const contactId = randomUUID();
    await exec(`insert into contacts (id, tenant_id, channel) values (?, ?, ?)`, [contactId, tenantId, channel]);
    const cols = Object.keys(stamps);
    await exec(
      `insert into campaign_recipients (tenant_id, campaign_id, contact_id, channel, status, idempotency_key${cols.map((c) => `, ${c}`).join('')})
       values (?, ?, ?, ?, ?, ?${cols.map(() => ', ?').join('')})`,
      [tenantId, campaignId, contactId, channel, status, randomUUID(), ...Object.values(stamps)],
    );
  };
  await recipient(spring, 'sms', 'read', { sent_at: at('09:00:00'), delivered_at: at('09:01:00'), read_at: at('09:05:00'), clicked_at: at('09:10:00'), replied_at: at('10:00:00') });
  await recipient(spring, 'sms', 'delivered', { sent_at: at('09:00:00'), delivered_at: at('09:01:00') });
  await recipient(spring, 'sms', 'failed', { sent_at: at('09:00:00'), failed_at: at('09:02:00') });
  await recipient(spring, 'email', 'sent', { sent_at: at('09:00:00'), opted_out_at: new Date('2026-03-11T08:00:00Z') });
  await recipient(autumn, 'sms', 'sent', { sent_at: new Date('2026-03-09T09:00:00Z') });
  return { spring, autumn, later };
}

export const SPRING_FUNNEL = { sent: 4, delivered: 2, read: 1, clicked: 1, replied: 1, optedOut: 1, failed: 1 };
