/**
 * A request that meets a part of the platform restarting gets 503 with Retry-After and a JSON body
 * that says to retry, not an opaque 500; other failures stay 500.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../api/plugins/errors';

const withCause = (message: string, cause: object) => Object.assign(new Error(message), { cause });
const failures: Record<string, Error> = {
  'database refused': Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  'database starting (wrapped by the ORM)': withCause('DriverException', { code: '57P03', message: 'the database system is starting up' }),
  'connection dropped mid-query': new Error('Connection terminated unexpectedly'),
  'Temporal unavailable': withCause('ServiceError', { code: 14, message: '14 UNAVAILABLE: No connection established' }),
  "workflow task retried after its worker died": Object.assign(new Error('Unable to perform workflow execution update due to Workflow Task in failed state.'), { code: 9 }),
};

describe('errors of a part that is restarting', () => {
  it('answer 503 with Retry-After and a retry message, and anything else 500', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/fail/:name', async (request) => {
      const name = (request.params as { name: string }).name;
      throw failures[name] ?? new Error('a bug');
    });
    for (const name of Object.keys(failures)) {
      const res = await app.inject({ method: 'GET', url: `/fail/${encodeURIComponent(name)}` });
      expect(`${name}: ${res.statusCode}`).toBe(`${name}: 503`);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().error.code).toBe('upstream_unavailable');
    }
    const bug = await app.inject({ method: 'GET', url: '/fail/other' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json().error.code).toBe('internal');
    await app.close();
  });
});
