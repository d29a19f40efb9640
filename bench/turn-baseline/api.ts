/**
 * The baseline's API path, the same shape as a turn's: Fastify → workflow update → JSON reply.
 * Mounted on its own Fastify instance in the benchmark process, beside the platform's API.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import Fastify from 'fastify';
import { baselineTurnUpdate } from './workflow';

export async function startBaselineApi(temporal: Client, taskQueue: string) {
  const app = Fastify({ logger: false });
  app.post('/conversations', async (_request, reply) => {
    const id = `baseline-${randomUUID()}`;
    await temporal.workflow.start('baselineConversation', { workflowId: id, taskQueue });
    return reply.status(201).send({ id });
  });
  app.post<{ Params: { id: string }; Body: { text: string } }>('/conversations/:id/messages', async (request) => {
    const answer = await temporal.workflow.getHandle(request.params.id).executeUpdate(baselineTurnUpdate, { args: [{ text: request.body.text }] });
    return { replies: [{ text: answer.reply }] };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async close() {
      await app.close();
    },
  };
}
