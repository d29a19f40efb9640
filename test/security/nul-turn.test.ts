/**
 * A value PostgreSQL refuses (here a NUL, SQLSTATE 22021) reaching the store activity of a real
 * worker, on the Temporal dev server and PostgreSQL. It used to be retried without limit, so the
 * turn never ended and every later message of the conversation waited behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msToNumber } from '@temporalio/common/lib/time';
import { ACTIVITY_OPTIONS } from '../../workflows/flow/activities';
import { turnUpdate } from '../../workflows/messages';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

const ERROR_MESSAGE = 'Sorry, that message could not be read.';

let stack: Stack;
let apiKey: string;
let flowId: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
  const graph = { ...receptionFlow, settings: { ...receptionFlow.settings, errorMessage: ERROR_MESSAGE } };
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Reception', graph } });
  flowId = created.body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: {} })).status).toBe(201);
});

afterAll(async () => stack?.close());

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms))]);
}

const texts = (body: { replies: { text: string }[] }) => body.replies.map((r) => r.text);

describe('a value the database refuses', () => {
  it('fails its turn with the flow error message, and the next message gets a normal reply', async () => {
    const conv = (await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, channel: 'api' } })).body as { id: string; workflowId: string };
    const say = (text: string) => stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body: { text } });
    expect(texts((await say('hi')).body)).toEqual(['Hello! What is your name?']);

    // Straight to the workflow, as a channel that forgot to clean its input would.
    const handle = stack.temporal.workflow.getHandle(conv.workflowId);
    const started = Date.now();
    const failed = await within(20_000, handle.executeUpdate(turnUpdate, { args: [{ text: 'Ada\u0000' }] }));
    expect(texts(failed)).toEqual([ERROR_MESSAGE]);
    // Not retried: store attempts alone may take minutes.
    expect(Date.now() - started).toBeLessThan(3000);
    // jsonb refuses an escaped NUL with SQLSTATE 22P05.
    const inMetadata = await within(20_000, handle.executeUpdate(turnUpdate, { args: [{ text: 'Bob', metadata: { note: 'x\u0000' } }] }));
    expect(texts(inMetadata)).toEqual([ERROR_MESSAGE]);

    const next = await within(20_000, say('Ada'));
    expect(next.status).toBe(200);
    expect(texts(next.body)).toEqual(['Nice to meet you, Ada!', 'How can I help you today?']);

    const transcript = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
    expect(transcript.body.messages.map((m: { author: string; text: string }) => `${m.author}:${m.text}`)).toEqual([
      'contact:hi',
      'bot:Hello! What is your name?',
      `system:${ERROR_MESSAGE}`,
      `system:${ERROR_MESSAGE}`,
      'contact:Ada',
      'bot:Nice to meet you, Ada!',
      'bot:How can I help you today?',
    ]);
  });

  it('every activity and local activity has a finite retry policy, its backoff adding up to 30 minutes at most', () => {
    for (const [name, options] of Object.entries(ACTIVITY_OPTIONS)) {
      const policy = options.retry!;
      expect(policy.maximumAttempts, name).toBeGreaterThan(0);
      // Temporal's defaults: 1 s, doubling, capped at 100 times the first interval.
      const first = msToNumber(policy.initialInterval ?? '1s');
      const cap = policy.maximumInterval ? msToNumber(policy.maximumInterval) : 100 * first;
      let backoffMs = 0;
      for (let attempt = 1; attempt < policy.maximumAttempts!; attempt++) backoffMs += Math.min(first * (policy.backoffCoefficient ?? 2) ** (attempt - 1), cap);
      // The longest is a media download waiting out a provider's CDN outage (~20 minutes).
      expect(backoffMs, name).toBeLessThanOrEqual(30 * 60_000);
      expect(policy.nonRetryableErrorTypes, name).toContain('InvalidDataError');
    }
  });
});
