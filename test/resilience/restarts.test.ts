/**
 * The embedded database and the Temporal dev server, each SIGKILLed under a running conversation and
 * started again on the same files and port, as `npm start`'s supervisor does: connections come back
 * by themselves, a turn sent while the part is down (the client retrying with the same
 * idempotencyKey) is answered once it is back, and every message is stored and answered once. A
 * turn already inside its workflow when the Temporal server dies is answered once the server is
 * back, within a workflow task timeout.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERACTIVE_TASK_TIMEOUT_MS } from '../../core/workflows';
import { readOrCreateSecret } from '../../db/data-dir';
import { runMigrations } from '../../db/migrate';
import { startRetryingTakenPorts, startTemporalDevServer } from '../../temporal/dev-server';
import { turnUpdate } from '../../workflows/messages';
import { echoFlow } from '../support/flows';
import { freePort } from '../support/ports';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { storedMessageCounts } from '../support/stored-messages';
import { lockConversation } from '../support/conversation-lock';
import { startProcess } from '../support/worker-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** A conversation on the echo flow, and a client that retries a turn (same idempotencyKey) until it is answered. */
async function echoConversation(stack: Stack) {
  const { tenantId, apiKey } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Echo', graph: echoFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
  const conversationId: string = conversation.body.id;
  const workflowId: string = conversation.body.workflowId;
  const say = async (text: string, giveUpMs = 120_000): Promise<string[]> => {
    const until = Date.now() + giveUpMs;
    let last = '';
    while (Date.now() < until) {
      try {
        const res = await fetch(`${stack.url}/v1/conversations/${conversationId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ text, idempotencyKey: `key-${text}` }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { replies?: { text: string }[] };
        if (res.status === 200) return body.replies!.map((r) => r.text);
        last = `${res.status} ${JSON.stringify(body)}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(500);
    }
    throw new Error(`"${text}" was not answered in ${giveUpMs} ms: ${last}`);
  };
  return { tenantId, conversationId, workflowId, say };
}

async function expectEachStoredOnce(stack: Stack, conversationId: string, texts: string[]) {
  const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
  const count = (author: string, text: string) => stored.filter((m) => m.author === author && m.text === text).reduce((n, m) => n + m.count, 0);
  for (const text of texts) expect(`${text}: ${count('contact', text)}`).toBe(`${text}: 1`);
  for (const text of texts.slice(1)) expect(`Echo: ${text}: ${count('bot', `Echo: ${text}`)}`).toBe(`Echo: ${text}: 1`);
}

/** A Temporal dev server on its own file and ports (so it can be killed and started again), a stack on it, and an echo conversation two turns in. */
async function onOwnTemporal(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let ports = { port: await freePort(), uiPort: await freePort() };
  const start = () => startTemporalDevServer({ dataDir, ...ports });
  let server = await startRetryingTakenPorts(start, 3, async () => void (ports = { port: await freePort(), uiPort: await freePort() }));
  cleanup.push(() => server.stop());
  const stack = await startStack({ ...sharedServers(), temporalAddress: server.address });
  cleanup.push(() => stack.close());
  const conversation = await echoConversation(stack);
  expect(await conversation.say('m1')).toEqual(['Ready.']);
  expect(await conversation.say('m2')).toContain('Echo: m2');
  // The history store is in write-ahead-log mode (SQLITE_PRAGMAS): bytes 18–19 of SQLite's header are 2 then, 1 with a rollback journal.
  expect([...readFileSync(join(dataDir, 'temporal.db')).subarray(18, 20)]).toEqual([2, 2]);
  const temporal = { kill: () => killed(server.process), restart: async () => void (server = await start()) };
  return { stack, temporal, ...conversation };
}

describe('restarts under a conversation', () => {
  it('answers a turn sent while the embedded database was down once it is back, and loses or doubles nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'restart-pglite-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PGLITE_PORT: String(port) };
    const startDb = () => startProcess('db/pglite-server.ts', env, (log) => log.includes('pglite ready'), 120_000);
    let db = await startDb();
    cleanup.push(() => db.kill('SIGKILL'));
    const databaseUrl = `postgres://postgres:${encodeURIComponent(readOrCreateSecret(dataDir, 'pglite.password').value)}@127.0.0.1:${port}/postgres`;
    await runMigrations(databaseUrl);

    const stack = await startStack({ ...sharedServers(), databaseUrl });
    cleanup.push(() => stack.close());
    const { conversationId, workflowId, say } = await echoConversation(stack);
    expect(await say('m1')).toEqual(['Ready.']);
    expect(await say('m2')).toContain('Echo: m2');

    await db.kill('SIGKILL');
    // Straight to the workflow (as the webhook dispatcher does), so the turn's own store writes meet
    // the dead database; through the API it would wait at the API's lookup instead.
    const inWorkflow = stack.temporal.workflow.getHandle(workflowId).executeUpdate(turnUpdate, { updateId: 'turn:key-m3', args: [{ text: 'm3' }] });
    const retriedByClient = (async () => (await sleep(1_000), say('m3')))();
    await sleep(4_000);
    db = await startDb();
    expect((await inWorkflow).replies.map((r) => r.text)).toContain('Echo: m3');
    expect(await retriedByClient).toContain('Echo: m3');
    expect(await say('m4')).toContain('Echo: m4');
    await expectEachStoredOnce(stack, conversationId, ['m1', 'm2', 'm3', 'm4']);
  }, 300_000);

  it('answers a turn sent while the Temporal server was down once it is back, and loses or doubles nothing', async () => {
    const { stack, temporal, conversationId, say } = await onOwnTemporal('restart-temporal-');
    await temporal.kill();
    const during = say('m3');
    await sleep(2_000);
    await temporal.restart();
    expect(await during).toContain('Echo: m3');
    expect(await say('m4')).toContain('Echo: m4');
    await expectEachStoredOnce(stack, conversationId, ['m1', 'm2', 'm3', 'm4']);
  }, 300_000);

  it('answers a turn that was mid-way in the workflow when the Temporal server was killed, once, within a task timeout of its return', async () => {
    const { stack, temporal, conversationId, say } = await onOwnTemporal('restart-temporal-inflight-');
    // The turn's store write waits inside its workflow task.
    const lock = await lockConversation(sharedServers().databaseUrl, conversationId);
    cleanup.push(() => lock.close());
    const during = say('m3');
    await lock.waitForBlocked();

    await temporal.kill();
    // The write finishes while the server is away; the worker cannot report it until it returns.
    await lock.release();
    await sleep(1_000);
    await temporal.restart();
    const backAt = Date.now();
    expect(await during).toContain('Echo: m3');
    expect(Date.now() - backAt).toBeLessThan(INTERACTIVE_TASK_TIMEOUT_MS + 5_000);
    expect(await say('m4')).toContain('Echo: m4');
    await expectEachStoredOnce(stack, conversationId, ['m1', 'm2', 'm3', 'm4']);
  }, 300_000);
});
