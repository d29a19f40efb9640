/** The API's request log: one line per request, carrying the request and the response. */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { OneLinePerRequest } from '../../api/plugins/request-log';

async function logged(level: string, send: (app: ReturnType<typeof Fastify>) => Promise<unknown>) {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).trim().split('\n').map((l) => JSON.parse(l)));
      done();
    },
  });
  const app = Fastify({
    logger: { level, stream, serializers: { req: (req: any) => ({ method: req.method, url: req.url.replace(/secret=\w+/, 'secret=***') }) } },
    logController: new OneLinePerRequest(),
  });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await send(app);
  await app.close();
  return lines.filter((l) => l.reqId);
}

describe('the request log', () => {
  it('writes one line a request, with the request (through its serializer) and the response', async () => {
    const lines = await logged('info', (app) => app.inject({ method: 'GET', url: '/ok?secret=abc' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/ok?secret=***' }, res: { statusCode: 200 } });
    expect(lines[0].responseTime).toEqual(expect.any(Number));
  });

  it('names the request of a failed one too', async () => {
    const lines = await logged('info', (app) => app.inject({ method: 'GET', url: '/boom' }));
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ req: { method: 'GET', url: '/boom' }, res: { statusCode: 500 } });
    expect(lines.some((l) => l.msg === 'incoming request')).toBe(false);
  });

  it('logs the arrival as well at debug', async () => {
    const lines = await logged('debug', (app) => app.inject({ method: 'GET', url: '/ok' }));
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });
});
