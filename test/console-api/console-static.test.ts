/** Serving the console build: files, the SPA fallback, API paths left alone, and the not-built page. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../api/plugins/console';

const dist = mkdtempSync(join(tmpdir(), 'sb-console-'));
const app = Fastify();

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root">console</div>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  app.get('/v1/flows', async () => ({ flows: [] }));
  app.get('/chat', async () => 'chat page');
  await registerConsole(app, dist);
});

afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('serves files, falls back to index.html for client routes, and leaves API paths alone', async () => {
    const root = await app.inject('/');
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('console');
    expect(root.headers['cache-control']).toBe('no-cache');

    const asset = await app.inject('/assets/app-1234.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await app.inject('/favicon.svg')).body).toBe('<svg/>');

    for (const route of ['/flows/123/edit', '/inbox', '/runs/run%3Aa%3Ab']) {
      const res = await app.inject(route);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('id="root"');
    }
    for (const route of ['/v1/nope', '/docs/nothing', '/widget.js.map', '/chat/x']) {
      const res = await app.inject(route);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await app.inject('/v1/flows')).json()).toEqual({ flows: [] });
    expect((await app.inject('/chat')).body).toBe('chat page');
    // No escape from the build folder.
    expect((await app.inject('/../../etc/passwd')).body).not.toContain('root:');
    expect((await app.inject('/%2e%2e/%2e%2e/etc/passwd')).body).not.toContain('root:');
  });

  it('says how to build the console when there is no build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sb-console-empty-'));
    const bare = Fastify();
    await registerConsole(bare, empty);
    const res = await bare.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('npm run console:build');
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
