/**
 * The warm transfer's whisper (the transfer node): Twilio fetches the TwiML the answering party
 * hears before the caller is put through from `<Number url>`. Public: the signed token in the URL
 * is the credential (voice/whisper-token.ts) and holds the text, so the route says only what a
 * flow asked for and reads no tenant data. Twilio's form body is accepted and ignored.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { verifyWhisperToken } from '../../voice/whisper-token';
import type { AppDeps } from '../deps';

const params = z.object({ token: z.string().max(4100) });

export const voiceWhisperRoutes = (deps: AppDeps) => async (app: FastifyInstance) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const handler = async (request: { params: unknown }, reply: { type(t: string): { send(b: string): unknown } }) => {
    const { token } = params.parse(request.params);
    const secret = deps.config.SWITCHBOARD_SECRET_KEY;
    const text = secret ? verifyWhisperToken(secret, token) : null;
    if (text === null) throw new AppError('not_found', 'unknown whisper', { field: 'token' });
    const twiml = new VoiceResponse();
    twiml.say(text);
    return reply.type('text/xml; charset=utf-8').send(twiml.toString());
  };
  const schema = { tags: ['webhooks'], params, summary: "A warm transfer's whisper as TwiML (Twilio fetches it for the answering party); the signed token in the URL holds the text" };
  app.post('/v1/webhooks/voice-whisper/:token', { config: { public: true }, logLevel: 'warn', schema }, handler);
  app.get('/v1/webhooks/voice-whisper/:token', { config: { public: true }, logLevel: 'warn', schema }, handler);
};
