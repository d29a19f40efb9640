/**
 * The floor for bench/voice.ts: a bare Fastify process that checks each webhook's X-Twilio-Signature
 * (the same helper the platform uses) and answers the TwiML the platform answered for the same
 * request, replayed from a file: HTTP, form parsing, signature and the document, without the
 * workflow behind them. Listens on PORT; prints `baseline listening` when ready.
 */
import { readFileSync } from 'node:fs';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { isValidTwilioSignature, type FormParams } from '../channels/twilio/signature';

const port = Number(process.env.PORT);
const token = process.env.BASELINE_AUTH_TOKEN ?? '';
/** Request path with query → TwiML document. */
const documents = JSON.parse(readFileSync(process.env.BASELINE_TWIML!, 'utf8')) as Record<string, string>;

const app = Fastify({ logger: false });
await app.register(formbody);
app.post('/*', async (req, reply) => {
  const url = `http://127.0.0.1:${port}${req.url}`;
  if (!isValidTwilioSignature(token, req.headers['x-twilio-signature'] as string | undefined, url, (req.body ?? {}) as FormParams)) return reply.code(403).send();
  const doc = documents[req.url];
  if (doc === undefined) return reply.code(204).send();
  return reply.type('text/xml').send(doc);
});
await app.listen({ port, host: '127.0.0.1' });
console.log('baseline listening');
