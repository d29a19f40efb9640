/**
 * Serves the console (the Vite build in console/dist) at `/`: files as they are, and index.html
 * for any other GET that is not the API's (`/v1`, `/docs`, `/chat`, `/widget…`), so the SPA's
 * own routes survive a reload. Without a build, a page says how to make one.
 */
import { existsSync, statSync } from 'node:fs';
import { join, posix, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const CONSOLE_DIST = resolve(import.meta.dirname, '..', '..', 'console', 'dist');

/**
 * Paths the SPA never owns: an unknown one is the API's 404, not the console's index.html. Tested
 * on the path as a server might read it after decoding and normalizing (`/V1/flows/`,
 * `/x/../v1/flows`, `/%2576…`), so a spelling the router did not match is not answered 200 either.
 */
const NOT_CONSOLE = /^\/(v1|docs|chat|widget|book)(\/|$|[^/]*$)/i;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard console</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>The console is not built yet</h1>
<p>Run <code>npm run console:build</code> and reload this page.</p>
<p>The API is up: its documentation is at <a href="/docs">/docs</a>, and the web chat at <a href="/chat">/chat</a>.</p>
</body></html>`;

export async function registerConsole(app: FastifyInstance, root = CONSOLE_DIST) {
  // Only `reply.sendFile` (which refuses paths outside root); routing is ours, below.
  await app.register(fastifyStatic, { root, serve: false });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = safeDecode(request.url.split('?')[0]);
    if (path === null) return reply.status(400).send({ error: { code: 'bad_request', message: 'malformed URL' } });
    if (NOT_CONSOLE.test(path) || NOT_CONSOLE.test(canonical(path))) {
      return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
    }
    if (!existsSync(join(root, 'index.html'))) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    const file = resolve(root, `.${path}`);
    if (file.startsWith(root + sep) && isFile(file)) {
      // Vite fingerprints everything under assets/: it never changes under the same name.
      const immutable = path.startsWith('/assets/');
      return reply.sendFile(file.slice(root.length + 1), { immutable, maxAge: immutable ? '365d' : 0, cacheControl: true });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };

  // Public: static files need no identity (the console signs in through /v1/auth).
  app.get('/', { schema: { hide: true }, config: { public: true } }, serve);
  app.get('/*', { schema: { hide: true }, config: { public: true } }, serve);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** Decoded until stable (a few rounds at most) and with `.`/`..`/empty segments resolved. */
function canonical(path: string): string {
  let current = path;
  for (let i = 0; i < 3; i++) {
    const next = safeDecode(current);
    if (next === null || next === current) break;
    current = next;
  }
  return posix.normalize(current.replace(/\\/g, '/'));
}
