/**
 * `finishCallTurn` with real dependencies (PostgreSQL, espeak-ng, the local media store): one
 * webhook's speech and then its transcript and call row in one local activity. The lines land in
 * the webhook's order with the engine that spoke each, a line no engine can speak is left to
 * Twilio's `<Say>`, and a retried attempt stores nothing twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardActivities } from '../../activities/types';
import type { FinishCallTurnInput } from '../../activities/voice/types';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';
import { makeTenant } from '../db/fixtures';

let deps: TestDeps;
let acts: SwitchboardActivities;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finish-turn-'));
  deps = await testDeps({ MEDIA_DIR: join(dir, 'media'), PUBLIC_URL: 'https://calls.example.com' });
  acts = activitiesFor(deps);
});
afterAll(async () => {
  await deps?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sql = <T>(query: string, params: unknown[]) => deps.orm.em.getConnection().execute<T[]>(query, params);

describe('finishCallTurn', () => {
  it('speaks the lines, stores them in order with their engines and the call row, and stores nothing twice on a retry', async () => {
    const t = await makeTenant(deps.orm);
    const [call] = await sql<{ id: string }>(
      `insert into calls (tenant_id, call_sid, direction, from_number, to_number, status, conversation_id) values (?, ?, 'inbound', '+14155550100', '+14155550199', 'in-progress', ?) returning id`,
      [t.tenantId, `CA${'1'.repeat(32)}`, t.conversationId],
    );
    const key = (n: number) => `call:${t.tenantId}:turn-test:${n}`;
    const input: FinishCallTurnInput = {
      tenantId: t.tenantId,
      workflowId: 'call:turn-test',
      callId: call.id,
      conversationId: t.conversationId,
      lines: [
        { key: key(1), author: 'contact', text: 'book a table', nodeId: 'menu', source: 'speech', metadata: { confidence: 0.9 } },
        { key: key(2), author: 'bot', text: 'A table for two is noted.', nodeId: 'confirm', source: 'llm', metadata: {} },
        { key: key(3), author: 'bot', text: ' ', nodeId: 'bye', source: 'voice', metadata: {} },
      ],
      speech: [
        { lineKey: key(2), text: 'A table for two is noted.', voiceProfileId: null },
        // Nothing to say: the activity refuses it, and Twilio's voice is left to say it.
        { lineKey: key(3), text: ' ', voiceProfileId: null },
      ],
      status: 'in-progress',
      path: ['start', 'menu', 'confirm', 'bye'],
      currentNodeId: 'bye',
      durationSeconds: null,
      answeredBy: null,
      recordingKeys: [],
      ended: false,
    };

    const audio = await acts.finishCallTurn(input);
    expect(audio[0]).toMatchObject({ engine: 'espeak-ng', mediaKey: expect.stringContaining(`t/${t.tenantId}/`), url: expect.stringMatching(/^https:\/\/calls\.example\.com\//) });
    expect(audio[1]).toEqual({ url: null, mediaKey: null, engine: 'twilio-say' });

    const rows = () =>
      sql<{ idempotency_key: string; author: string; direction: string; source: string; metadata: Record<string, unknown> }>(
        `select idempotency_key, author, direction, source, metadata from messages where conversation_id = ? order by created_at, id`,
        [t.conversationId],
      );
    const stored = await rows();
    expect(stored.map((m) => m.idempotency_key)).toEqual([key(1), key(2), key(3)]);
    expect(stored.map((m) => [m.author, m.direction, m.source])).toEqual([
      ['contact', 'in', 'speech'],
      ['bot', 'out', 'llm'],
      ['bot', 'out', 'voice'],
    ]);
    expect(stored[0].metadata).toEqual({ channel: 'voice', confidence: 0.9 });
    expect(stored[1].metadata).toEqual({ channel: 'voice', engine: 'espeak-ng', mediaKey: audio[0].mediaKey });
    expect(stored[2].metadata).toEqual({ channel: 'voice', engine: 'twilio-say' });
    const [row] = await sql<{ path: string[]; current_node_id: string; status: string }>(`select path, current_node_id, status from calls where id = ?`, [call.id]);
    expect(row).toEqual({ path: ['start', 'menu', 'confirm', 'bye'], current_node_id: 'bye', status: 'in-progress' });
    const [conversation] = await sql<{ last_message_at: Date | null }>(`select last_message_at from conversations where id = ?`, [t.conversationId]);
    expect(conversation.last_message_at).not.toBeNull();

    // A retried attempt (the worker died before the workflow task completed): the same lines, once.
    await acts.finishCallTurn({ ...input, ended: true, status: 'completed' });
    expect((await rows()).map((m) => m.idempotency_key)).toEqual([key(1), key(2), key(3)]);
    const [ended] = await sql<{ status: string; ended_at: Date | null }>(`select status, ended_at from calls where id = ?`, [call.id]);
    expect(ended.status).toBe('completed');
    expect(ended.ended_at).not.toBeNull();
  });
});
