/**
 * Driving `ivrCall` runs directly with Twilio's events (the same `callEvent` updates the webhook
 * route sends), on the real worker and database of a stack: a voice channel row, a published flow,
 * and one helper per webhook.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { validateGraph } from '../../../core/graph/validate';
import type { CallAnswer, CallEvent, DialCallStatus } from '../../../core/voice/types';
import { secretBox } from '../../../channels/directory';
import { systemEm } from '../../../db/orm';
import { IvrCallClient } from '../../../temporal/ivr-call';
import type { IvrCallInput } from '../../../workflows/messages';
import type { Stack } from '../../support/stack';

export const CALLER = '+15551230000';
export const OUR_NUMBER = '+15557654321';

/** A voice channel row (the channel API's adapter for `voice` may not be registered in every build). */
export async function voiceChannel(stack: Stack, tenantId: string, opts: { accountSid?: string; authToken?: string; apiBaseUrl?: string } = {}): Promise<string> {
  const credentials = { accountSid: opts.accountSid ?? `AC${randomBytes(16).toString('hex')}`, authToken: opts.authToken ?? randomBytes(16).toString('hex') };
  const [row] = await systemEm(stack.orm)
    .getConnection()
    .execute<{ id: string }[]>(
      `insert into channels (tenant_id, type, name, credentials_encrypted, credential_fields, settings) values (?, 'voice', 'Phone', ?, ?, ?) returning id`,
      [tenantId, secretBox(stack.config).encrypt(JSON.stringify(credentials)), JSON.stringify(Object.keys(credentials)), JSON.stringify({ numbers: [OUR_NUMBER], ...(opts.apiBaseUrl ? { apiBaseUrl: opts.apiBaseUrl } : {}) })],
    );
  return row.id;
}

export async function publishedFlow(stack: Stack, apiKey: string, graph: unknown): Promise<{ flowId: string; graph: IvrCallInput['graph'] }> {
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: `Phone ${randomBytes(3).toString('hex')}`, graph } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey })).status).toBe(201);
  const checked = validateGraph(graph);
  if (!checked.graph) throw new Error(`invalid graph: ${JSON.stringify(checked.errors)}`);
  return { flowId: created.body.id, graph: checked.graph };
}

/** One call of a flow: each method is one webhook, answered with the verbs of its TwiML. */
export class DrivenCall {
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  private readonly client: IvrCallClient;
  readonly input: IvrCallInput;

  constructor(stack: Stack, tenantId: string, channelId: string, flow: { flowId: string; graph: IvrCallInput['graph'] }) {
    this.client = new IvrCallClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE);
    this.input = {
      tenantId,
      channelId,
      callSid: this.callSid,
      direction: 'inbound',
      from: CALLER,
      to: OUR_NUMBER,
      flowId: flow.flowId,
      flowVersion: 1,
      graph: flow.graph,
      callbackBase: `${stack.url}/v1/webhooks/voice/${channelId}`,
      voiceProfileId: null,
    };
  }

  get workflowId() {
    return `call:${this.input.tenantId}:${this.callSid}`;
  }

  private async send(event: CallEvent): Promise<CallAnswer> {
    const answer = await this.client.event(this.input, event);
    if (!answer) throw new Error('the call is over');
    return answer;
  }

  answer() {
    return this.send({ kind: 'answered', callSid: this.callSid, callStatus: 'in-progress', from: CALLER, to: OUR_NUMBER, direction: 'inbound', answeredBy: null });
  }

  dialed(nodeId: string, dialCallStatus: DialCallStatus, seconds = 0) {
    return this.send({ kind: 'dial', callSid: this.callSid, callStatus: 'in-progress', nodeId, dialCallStatus, dialCallSid: `CA${randomBytes(16).toString('hex')}`, dialCallDuration: seconds });
  }

  recorded(nodeId: string, recording: { url: string; sid: string; seconds: number } | null) {
    return this.send({
      kind: 'record',
      callSid: this.callSid,
      callStatus: 'in-progress',
      nodeId,
      phase: 'action',
      recordingSid: recording?.sid ?? null,
      recordingUrl: recording?.url ?? null,
      recordingDuration: recording?.seconds ?? 0,
      recordingStatus: recording ? 'completed' : null,
      digits: '#',
    });
  }

  hangUp(seconds = 30) {
    return this.send({ kind: 'status', callSid: this.callSid, callStatus: 'completed', callDuration: seconds, sequenceNumber: 3, timestamp: new Date().toUTCString(), answeredBy: null });
  }

  state() {
    return this.client.state(this.input.tenantId, this.callSid);
  }
}

/** The verbs of an answer; spoken text (`<Play>` of synthesized audio, or `<Say>`) is `speak`. */
export const verbNames = (answer: CallAnswer): string[] => answer.verbs.map((v) => (v.verb === 'say' || v.verb === 'play' ? 'speak' : v.verb));

/** What the flow said on the call, in order (the transcript's bot lines), with the node that said it. */
export async function botLines(stack: Stack, tenantId: string, conversationId: string): Promise<{ nodeId: string | null; text: string }[]> {
  return systemEm(stack.orm)
    .getConnection()
    .execute<{ nodeId: string | null; text: string }[]>(`select node_id as "nodeId", text from messages where tenant_id = ? and conversation_id = ? and author = 'bot' order by created_at, id`, [tenantId, conversationId]);
}
