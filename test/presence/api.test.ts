/**
 * `/v1/presence/audits` on the real stack (API, Temporal, the worker's real activities, PostgreSQL)
 * against fixture sites: an audit runs to its stored report with live progress on the way, the
 * list is a site's history, bad input is refused naming the field, another tenant's audit is a
 * 404, and the recommendations are rewritten in a brand voice by the (fake) model — or kept as
 * plain text, with the reason, when the tenant has no model.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewordReport } from '../../presence/report';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { makeCerts, trustTestCa } from './fixtures/certs';
import { serveSite, type FixtureSite } from './fixtures/server';

let stack: Stack;
let fake: FakeOpenAI;
let good: FixtureSite;
let broken: FixtureSite;
let slow: FixtureSite;
let a: { apiKey: string; tenantId: string };
let b: { apiKey: string; tenantId: string };
let online: { apiKey: string; tenantId: string };

beforeAll(async () => {
  const certs = makeCerts();
  trustTestCa(certs.ca);
  fake = await startFakeOpenAI({ model: 'gpt-voice' });
  fake.script((req) => ({ content: `In our voice: ${String(req.body.messages.at(-1).content).slice(0, 80)}` }));
  [good, broken, slow] = await Promise.all([serveSite({ files: 'good', tls: certs.valid }), serveSite({ files: 'broken' }), serveSite({ files: 'good', tls: certs.valid, delayMs: 2500 })]);
  stack = await startStack({ ...sharedServers(), env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' } });
  [a, b, online] = await Promise.all([stack.createTenant(), stack.createTenant(), stack.createTenant({ llm: { baseURL: `${fake.url}/v1`, model: 'gpt-voice' } })]);
});
afterAll(async () => {
  await stack?.close();
  await Promise.all([good?.close(), broken?.close(), slow?.close(), fake?.close()]);
});

async function finished(apiKey: string, id: string) {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await stack.request('GET', `/v1/presence/audits/${id}`, { apiKey });
    if (res.body.status !== 'running' || Date.now() > until) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('presence audits API', () => {
  it('runs an audit to its stored report, with progress while it runs and the site’s history in the list', async () => {
    const started = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: good.url } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ url: good.url, status: 'running', report: null, workflowId: `presence:${a.tenantId}:${started.body.id}` });
    const progress = await stack.request('GET', `/v1/presence/audits/${started.body.id}/progress`, { apiKey: a.apiKey });
    expect(progress.status).toBe(200);
    expect(['queued', 'checking', 'scoring', 'completed']).toContain(progress.body.stage);
    const done = await finished(a.apiKey, started.body.id);
    expect(done).toMatchObject({ status: 'completed', stage: 'completed', overall: 100, grade: 'A' });
    expect(done.report.overall).toBe(100);
    expect(done.report.checks).toHaveLength(30);
    expect(done.report.wording).toEqual({ by: 'plain', brandVoiceId: null, note: null });
    const run = await stack.request('GET', `/v1/runs/${encodeURIComponent(done.workflowId)}`, { apiKey: a.apiKey });
    expect(run.body).toMatchObject({ type: 'presenceAudit', status: 'completed' });

    const again = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: broken.url } });
    await finished(a.apiKey, again.body.id);
    const history = await stack.request('GET', `/v1/presence/audits?url=${encodeURIComponent(good.url)}`, { apiKey: a.apiKey });
    expect(history.body.items.map((i: { id: string; grade: string }) => [i.id, i.grade])).toEqual([[started.body.id, 'A']]);
    const page = await stack.request('GET', '/v1/presence/audits?limit=1', { apiKey: a.apiKey });
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([again.body.id]);
    const next = await stack.request('GET', `/v1/presence/audits?limit=1&cursor=${page.body.nextCursor}`, { apiKey: a.apiKey });
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual([started.body.id]);
  });

  it('shows each module’s state live while a slow site is audited, on the audit and on the runs page', async () => {
    const started = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: slow.url } });
    const until = Date.now() + 30_000;
    let live: { stage: string; total: number; modules: { id: string; status: string }[] } | null = null;
    while (Date.now() < until) {
      const res = await stack.request('GET', `/v1/presence/audits/${started.body.id}/progress`, { apiKey: a.apiKey });
      if (res.body.stage === 'checking' && res.body.modules.some((m: { status: string }) => m.status === 'running')) {
        live = res.body;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live?.total).toBe(7);
    expect(live?.modules.map((m) => m.id)).toEqual(['transport', 'page', 'structuredData', 'content', 'links', 'crawl', 'accessibility']);
    const run = await stack.request('GET', `/v1/runs/${encodeURIComponent(started.body.workflowId)}`, { apiKey: a.apiKey });
    expect(run.body.type).toBe('presenceAudit');
    if (run.body.status === 'running') expect(run.body.state.stage).toMatch(/checking|scoring/);
    const done = await finished(a.apiKey, started.body.id);
    expect(done).toMatchObject({ status: 'completed', overall: 98, grade: 'A' });
    expect(done.progress).toMatchObject({ stage: 'completed' });
  });

  it('refuses bad input naming the field', async () => {
    for (const [body, field] of [
      [{ url: 'ftp://example.com/' }, 'url'],
      [{ url: 'not a site' }, 'url'],
      [{ url: 'https://user:secret@example.com/' }, 'url'],
      [{}, 'url'],
      [{ url: 'example.com', profiles: { yelp: '' } }, 'profiles.yelp'],
      [{ url: 'example.com', brandVoiceId: 'nope' }, 'brandVoiceId'],
    ] as const) {
      const res = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await stack.request('GET', '/v1/presence/audits?cursor=bm9wZQ', { apiKey: a.apiKey })).body.error.field).toBe('cursor');
  });

  it('keeps another tenant’s audits and brand voices out of reach', async () => {
    const mine = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: broken.url } });
    for (const path of [`/v1/presence/audits/${mine.body.id}`, `/v1/presence/audits/${mine.body.id}/progress`]) {
      const res = await stack.request('GET', path, { apiKey: b.apiKey });
      expect(res.status, path).toBe(404);
      expect(res.body.error.field).toBe('id');
    }
    expect((await stack.request('GET', '/v1/presence/audits', { apiKey: b.apiKey })).body.items).toEqual([]);
    const voice = await stack.request('POST', '/v1/brand-voices', { apiKey: a.apiKey, body: { name: 'Mine' } });
    const borrowed = await stack.request('POST', '/v1/presence/audits', { apiKey: b.apiKey, body: { url: broken.url, brandVoiceId: voice.body.id } });
    expect(borrowed.status).toBe(404);
    expect(borrowed.body.error.field).toBe('brandVoiceId');
    await finished(a.apiKey, mine.body.id);
  });

  it('rewrites the top recommendations in the brand voice with the model', async () => {
    const voice = await stack.request('POST', '/v1/brand-voices', { apiKey: online.apiKey, body: { name: 'Casa', tone: 'warm, playful', emojiPolicy: 'none' } });
    const started = await stack.request('POST', '/v1/presence/audits', { apiKey: online.apiKey, body: { url: broken.url, brandVoiceId: voice.body.id } });
    const done = await finished(online.apiKey, started.body.id);
    expect(done.report.wording).toEqual({ by: 'model', brandVoiceId: voice.body.id, note: 'the top 5 recommendations rewritten by gpt-voice' });
    const [first, , , , fifth, sixth] = done.report.recommendations;
    expect(first.rewritten).toBe(`In our voice: ${`${first.title}. ${first.action}`.slice(0, 80)}`);
    expect(fifth.rewritten).toMatch(/^In our voice: /);
    expect(sixth.rewritten).toBeUndefined();
    expect(done.overall).toBe(46);
  });

  it('keeps the plain text, and says why, when the tenant has no model', async () => {
    const voice = await stack.request('POST', '/v1/brand-voices', { apiKey: a.apiKey, body: { name: 'Plain' } });
    const started = await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: broken.url, brandVoiceId: voice.body.id } });
    const done = await finished(a.apiKey, started.body.id);
    expect(done.report.wording.by).toBe('plain');
    expect(done.report.wording.note).toMatch(/no language model is configured.*; the recommendations are in plain text/);
    expect(done.report.recommendations.every((r: { rewritten?: string }) => r.rewritten === undefined)).toBe(true);
  });

  it('keeps the plain text when the voice is gone by the time the audit is scored', async () => {
    const done = await finished(a.apiKey, (await stack.request('POST', '/v1/presence/audits', { apiKey: a.apiKey, body: { url: broken.url } })).body.id);
    const gone = randomUUID();
    const reworded = await rewordReport({ orm: stack.orm, config: stack.config }, a.tenantId, gone, done.report);
    expect(reworded.wording).toEqual({ by: 'plain', brandVoiceId: gone, note: 'the recommendations could not be reworded (brand voice not found); they are in plain text' });
    expect(reworded.recommendations).toEqual(done.report.recommendations);
  });
});
