/**
 * The Fastify application: plugins (errors, OpenAPI, auth, websockets), then routes. Dependencies
 * come in from outside so tests and the benchmark build the same app against their own servers.
 */
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAuth } from './plugins/auth';
import { registerErrorHandling } from './plugins/errors';
import { registerOpenApi } from './plugins/openapi';
import { chatRoutes } from './routes/chat';
import { conversationRoutes } from './routes/conversations';
import { documentRoutes } from './routes/documents';
import { flowRoutes } from './routes/flows';
import { healthRoutes } from './routes/health';
import { knowledgeBaseRoutes } from './routes/knowledge-bases';
import { runRoutes } from './routes/runs';
import { MAX_DOCUMENT_BYTES } from '../core/api/knowledge';
import type { AppDeps } from './deps';

const CHAT_PAGE = new URL('./public/chat.html', import.meta.url);

export async function buildApp(deps: AppDeps, opts: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: opts.logger ?? {
      level: deps.config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'],
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerOpenApi(app);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Document uploads: one file and a name field at most; a larger file stops at the limit (413).
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 2, fieldSize: 4 * 1024, parts: 3 } });
  // Routes that authenticate by themselves declare `config: { public: true }`.
  registerAuth(app, deps);

  await app.register(healthRoutes(deps));
  await app.register(flowRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(chatRoutes(deps));
  await app.register(knowledgeBaseRoutes(deps));
  await app.register(documentRoutes(deps));

  const chatPage = await readFile(CHAT_PAGE, 'utf8');
  app.get('/chat', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(chatPage));
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/chat'));

  return app;
}
